import { z } from 'zod';
import type { RecordedRequest } from '../model/channels';
import type { EpochMs, StepId } from '../model/ids';
import { leadId } from '../model/ids';
import { timeZoneSchema } from '../model/lead';
import { timingSchema } from '../model/plan';
import { method } from '../rpc/spec';

/** One step on a plan's timeline for a lead (or a start date and zone). */
export interface TimelineEntry {
  stepId: StepId;
  index: number;
  kind: string;
  name: string;
  /** When it fires (after quiet-hour deferral), or null when it will not fire. */
  at: EpochMs | null;
  /** When its timing alone makes it due, before any deferral. */
  dueAt: EpochMs | null;
  status: 'scheduled' | 'deferred' | 'skipped' | 'noDate';
  /** Why it is deferred, skipped or undated, in words. */
  note: string | null;
}

export interface PlanTimeline {
  timeZone: string;
  startAt: EpochMs;
  entries: TimelineEntry[];
}

export const timelineParamsSchema = z.object({
  /** The steps as currently edited (saved or not): only id, kind, name and timing are read. */
  steps: z.array(z.object({ id: z.string().min(1), kind: z.string().min(1), name: z.string().default(''), timing: timingSchema })).max(500),
  leadId: leadId.optional(),
  startAt: z.number().int().optional(),
  timeZone: timeZoneSchema.optional(),
  eventDates: z.record(z.string().min(1), z.iso.date()).default({}),
});

/** A webhook step as edited in the builder (saved or not), and the lead to merge it with (none: sample values). */
export const webhookTestParamsSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT']),
  url: z.url({ protocol: /^https?$/, error: 'Enter the URL first: it must start with http:// or https://' }),
  headers: z
    .array(z.object({ name: z.string(), value: z.string() }))
    .max(50)
    .default([]),
  payload: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('fields'), fields: z.array(z.object({ key: z.string(), value: z.string() })).max(200) }),
    z.object({ mode: z.literal('allLeadFields') }),
  ]),
  leadId: leadId.optional(),
});

/** What a test request got: the server's answer (any status), or why there was none, in words. */
export type WebhookTestResult = {
  /** Whose values were merged: the lead's name, or "sample values". */
  mergedWith: string;
  durationMs: number | null;
  request: RecordedRequest | null;
} & ({ outcome: 'answered'; status: number; body: string; truncated: boolean } | { outcome: 'failed'; code: string; reason: string });

/** Plan-list and builder tools that sit beside the core plan methods. */
export const planToolsContract = {
  /**
   * When each step fires for a lead or a start date and zone: timing, SMS quiet hours and
   * before-event skips. Switch the builder to the engine's fuller `plans.preview` (send windows, caps) once it lands.
   */
  'plans.timeline': method<PlanTimeline>()(timelineParamsSchema),
  /**
   * The builder's "Send test request": the step merged with a lead (or sample values) and sent once
   * through the host. A test: nothing goes to the outbox, the monitor or the lead's history.
   */
  'plans.testWebhook': method<WebhookTestResult>()(webhookTestParamsSchema),
};
