import { z } from 'zod';
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

/** Plan-list and builder tools that sit beside the core plan methods. */
export const planToolsContract = {
  /**
   * When each step fires for a lead or a start date and zone: timing, SMS quiet hours and
   * before-event skips. Switch the builder to the engine's fuller `plans.preview` (send windows, caps) once it lands.
   */
  'plans.timeline': method<PlanTimeline>()(timelineParamsSchema),
};
