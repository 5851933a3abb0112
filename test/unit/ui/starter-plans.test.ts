import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateProblems } from '../../../src-renderer/engine/templates/render';
import { starterPlanSchema } from '../../../src-renderer/ui/lib/starter-plans-schema';

const DIR = join(__dirname, '../../../resources/starter-plans');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const plans = files.map((f) => ({ file: f, plan: starterPlanSchema.parse(JSON.parse(readFileSync(join(DIR, f), 'utf8'))) }));

describe('starter plans shipped with the app', () => {
  it('there is at least one per category', () => {
    expect(new Set(plans.map((p) => p.plan.category))).toEqual(new Set(['connection', 'conversion', 'retention', 'event', 'seasonal']));
  });

  it('every message uses only known merge fields and reads as real copy', () => {
    for (const { file, plan } of plans) {
      for (const step of plan.steps) {
        if (step.kind !== 'email' && step.kind !== 'sms') continue;
        const texts = step.kind === 'email' ? [step.subject, step.body] : [step.body];
        for (const t of texts) expect(templateProblems(t), `${file} ${step.id}`).toEqual([]);
        expect(step.body.toLowerCase()).not.toContain('lorem');
        expect(step.body.length, `${file} ${step.id}`).toBeGreaterThan(40);
      }
    }
  });

  it('the event plan has steps before and after the event', () => {
    const event = plans.find((p) => p.plan.category === 'event')!.plan;
    const kinds = new Set(event.steps.map((s) => s.timing.kind));
    expect(kinds.has('beforeEvent') && kinds.has('afterEvent')).toBe(true);
  });
});
