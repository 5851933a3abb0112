import { DateTime } from 'luxon';
import type { PlanPreview, PreviewEntry } from '@shared/contract/plans';
import type { EpochMs } from '@shared/model/ids';
import type { OptOuts } from '@shared/model/lead';
import type { PlanFields } from '@shared/model/plan';
import type { SendPolicy } from '@shared/model/send-policy';
import { rawDueAt } from '../enrollments/position';
import { deliveryFor, touchChannel } from '../scheduler/delivery';
import { nextSendSlot } from '../scheduler/send-window';

export interface PreviewSubject {
  timeZone: string;
  eventDates: Record<string, string>;
  optOuts: OptOuts;
  /** Automated touches the lead already has (all plans), counted by the daily cap. */
  touches: EpochMs[];
}

/**
 * The exact calendar of a plan for one lead, by the scheduler's own rules (timing, step order,
 * send windows, quiet hours, daily cap, DST, skips), before anything is enrolled. It assumes the
 * app keeps running and tasks are done when created.
 */
export function previewPlan(
  plan: Pick<PlanFields, 'steps' | 'type' | 'misfire' | 'sendWindow'>,
  who: PreviewSubject,
  startAt: EpochMs,
  policy: SendPolicy,
): PlanPreview {
  const touches = [...who.touches];
  const entries: PreviewEntry[] = [];
  let previous = startAt;
  const local = (at: EpochMs) => DateTime.fromMillis(at, { zone: who.timeZone }).toFormat('ccc d LLL yyyy HH:mm ZZZZ');
  for (const [i, step] of plan.steps.entries()) {
    const base = { stepId: step.id, stepName: step.name || `Step ${i + 1}`, stepKind: step.kind };
    const due = rawDueAt(step, { startedAt: startAt }, who);
    const skip = (reason: string) =>
      entries.push({ ...base, dueAt: due, firesAt: null, firesAtLocal: null, status: 'skipped', reasons: [reason] });
    const t = step.timing;
    if (due === null && (t.kind === 'beforeEvent' || t.kind === 'afterEvent')) {
      skip(`the lead has no "${t.event}" date`);
      continue;
    }
    if (t.kind === 'beforeEvent' && due !== null && due < startAt) {
      skip(`its time had already passed at enrollment (before "${t.event}")`);
      continue;
    }
    let at = Math.max(due ?? startAt, previous);
    const reasons: string[] = [];
    let status: PreviewEntry['status'] = 'fires';
    if (at > (due ?? startAt)) reasons.push('runs after the step before it');
    const channel = touchChannel(step);
    if (channel && who.optOuts[channel]) {
      skip(`the lead opted out of ${channel === 'sms' ? 'texts' : 'email'}`);
      continue;
    }
    const delivery = deliveryFor(plan, step, false);
    if (channel && delivery.mode === 'auto') {
      const slot = nextSendSlot({
        at,
        zone: who.timeZone,
        channel,
        planWindow: plan.sendWindow ?? null,
        policy,
        touchesBetween: (from, to) => touches.filter((x) => x >= from && x < to).length,
      });
      if (slot.at > at) status = 'deferred';
      reasons.push(...slot.reasons);
      at = slot.at;
      touches.push(at);
    } else if (delivery.mode === 'review') {
      status = 'review';
      reasons.push(`goes to the review queue (${delivery.why})`);
    } else if (delivery.mode === 'sendUnlessReviewed') {
      status = 'review';
      reasons.push(`sent ${delivery.hours} h later unless reviewed first`);
    }
    if (step.waitForPreviousTask && i > 0) {
      status = status === 'fires' ? 'waitsForTask' : status;
      reasons.push('waits until the task of the step before is done');
    }
    entries.push({ ...base, dueAt: due, firesAt: at, firesAtLocal: local(at), status, reasons });
    previous = at;
    if (step.kind === 'repeatPlan') break;
  }
  return { timeZone: who.timeZone, startAt, entries };
}
