import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, SentJournal } from '../../../src-main/host/sent-journal';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sent = (id: string) => () => Promise.resolve({ messageId: `<${id}@x>`, response: '250 OK' });

describe('the sent journal never lets a message go out twice', () => {
  it('a message already sent is answered as a duplicate without sending', async () => {
    const journal = await SentJournal.open(dir);
    let sends = 0;
    const send = () => {
      sends += 1;
      return sent('a')();
    };
    expect(await journal.once('k', send)).toEqual({ messageId: '<a@x>', response: '250 OK', duplicate: false });
    expect(await journal.once('k', send)).toEqual({ messageId: '<a@x>', response: '250 OK', duplicate: true });
    expect(sends).toBe(1);
  });

  it('two sends of the same key at once send once', async () => {
    const journal = await SentJournal.open(dir);
    let sends = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const send = async () => {
      sends += 1;
      await gate;
      return { messageId: '<a@x>', response: '250 OK' };
    };
    const first = journal.once('k', send);
    const second = journal.once('k', send);
    release();
    expect((await first).duplicate).toBe(false);
    expect((await second).duplicate).toBe(true);
    expect(sends).toBe(1);
  });

  it('a failed send is not journalled, so the retry sends', async () => {
    const journal = await SentJournal.open(dir);
    await expect(journal.once('k', () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect((await journal.once('k', sent('a'))).duplicate).toBe(false);
  });

  it('a journal cut off mid-line by a crash still knows every complete record, and keeps working', async () => {
    const complete = JSON.stringify({ key: 'k1', messageId: '<1@x>', response: '250 OK', at: '2025-01-01T00:00:00.000Z' });
    await writeFile(join(dir, JOURNAL_FILE), `${complete}\n{"key":"k2","messageId":"<2@`);

    const journal = await SentJournal.open(dir);
    expect(journal.get('k1')?.messageId).toBe('<1@x>');
    expect(journal.get('k2')).toBeUndefined();
    await journal.once('k3', sent('3'));

    const reopened = await SentJournal.open(dir);
    expect(reopened.get('k1')).toBeDefined();
    expect(reopened.get('k3')?.messageId).toBe('<3@x>');
    const lines = (await readFile(join(dir, JOURNAL_FILE), 'utf8')).split('\n');
    expect(lines.at(-2)).toContain('"key":"k3"');
  });
});
