import { describe, expect, it } from 'vitest';
import { smsSegments } from '@shared/sms-segments';

describe('SMS segment count shown in the builder', () => {
  it('plain text up to 160 characters is one segment', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, remaining: 0 });
  });
  it('161 plain characters split into two segments of 153', () => {
    expect(smsSegments('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153, remaining: 306 - 161 });
  });
  it('characters like € and { cost two', () => {
    expect(smsSegments('€'.repeat(80)).units).toBe(160);
    expect(smsSegments('€'.repeat(81)).segments).toBe(2);
  });
  it('an emoji switches the message to UCS-2: 70, then 67 per segment', () => {
    expect(smsSegments('Hi 👋'.padEnd(70, 'x'))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('Hi 👋'.padEnd(71, 'x'))).toMatchObject({ segments: 2, perSegment: 67 });
  });
  it('an empty message costs nothing', () => {
    expect(smsSegments('').segments).toBe(0);
  });
});
