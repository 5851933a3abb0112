import { z } from 'zod';
import type { HistoryEntry } from '../model/history';
import type { EpochMs, LeadId, PlanId } from '../model/ids';
import { leadId, userId } from '../model/ids';
import type { Lead } from '../model/lead';
import { method } from '../rpc/spec';

/** Columns the leads table can sort by; each one reads its own index in the engine. */
export const leadSortFields = [
  'name',
  'email',
  'phone',
  'stage',
  'source',
  'createdAt',
  'activePlanCount',
  'nextDueAt',
  'lastActivityAt',
] as const;
export type LeadSortField = (typeof leadSortFields)[number];

export const facetNames = ['stages', 'tags', 'sources', 'assignees', 'plans', 'states'] as const;
export type FacetName = (typeof facetNames)[number];

// An empty value is a real facet value: leads with no source (shown as "(none)") can be filtered too.
const values = z.array(z.string().max(200)).max(200).default([]);

/** Which leads: words to search (name, email, phone prefixes) and facet values (any value within a facet, all facets). */
export const leadFilterSchema = z.object({
  search: z.string().max(200).default(''),
  stages: values,
  tags: values,
  sources: values,
  /** User ids, or "unassigned". */
  assignees: values,
  /** Plan ids the lead is active or paused in. */
  plans: values,
  /** Enrollment states (active, paused, stopped, completed) or "none" for never enrolled. */
  states: values,
});
export type LeadFilter = z.output<typeof leadFilterSchema>;
export type LeadFilterInput = z.input<typeof leadFilterSchema>;

export const leadQuerySchema = leadFilterSchema.extend({
  sort: z.enum(leadSortFields).default('createdAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

/** A lead as the table shows it: the lead plus its enrollment summary. */
export interface LeadSummary extends Lead {
  activePlanCount: number;
  nextDueAt: EpochMs | null;
  lastActivityAt: EpochMs;
  planIds: PlanId[];
}

export interface LeadQueryPage {
  rows: LeadSummary[];
  offset: number;
  /** Leads matching the filter (the table's scroll height; "select all N matching"). */
  total: number;
}

export interface FacetCount {
  value: string;
  label: string;
  /** Leads with this value among those matching every other filter. */
  count: number;
}
export type LeadFacets = Record<FacetName, FacetCount[]>;

/** Which leads a bulk action applies to: picked rows, or every lead matching a filter. */
export const bulkTargetSchema = z.union([z.object({ ids: z.array(leadId).min(1).max(200_000) }), z.object({ filter: leadFilterSchema })]);

const assignRole = z.enum(['buyerAgent', 'listingAgent', 'lender']);
export const bulkActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('addTags'), tags: z.array(z.string().trim().min(1).max(60)).min(1) }),
  z.object({ kind: z.literal('removeTags'), tags: z.array(z.string().trim().min(1).max(60)).min(1) }),
  z.object({ kind: z.literal('setStage'), stage: z.string().trim().min(1).max(60) }),
  z.object({ kind: z.literal('assign'), role: assignRole, userId: userId.nullable() }),
  z.object({ kind: z.literal('delete') }),
]);
export type BulkAction = z.output<typeof bulkActionSchema>;

export interface BulkResult {
  changed: number;
  /** For deletes: pass to `leads.restore` to undo. */
  batchId: string | null;
}

/** The table's layout, per user: column order, hidden columns, widths. */
export const tablePrefsSchema = z.object({
  order: z.array(z.string().max(40)).max(40),
  hidden: z.array(z.string().max(40)).max(40),
  widths: z.record(z.string().max(40), z.number().int().min(40).max(1000)),
});
export type TablePrefs = z.output<typeof tablePrefsSchema>;

export const savedViewSchema = z.object({
  name: z.string().trim().min(1, 'A view needs a name').max(60),
  filter: leadFilterSchema,
  sort: z.enum(leadSortFields),
  dir: z.enum(['asc', 'desc']),
});
export type SavedView = z.output<typeof savedViewSchema>;

/** Kinds of history the notifications center shows (failures, replies, caps); other areas may add kinds. */
export const NOTIFICATION_KINDS = ['failed', 'deliveryProblem', 'replied', 'capReached'] as const;

export interface NotificationItem {
  entry: HistoryEntry;
  leadName: string;
}

export const leadWorkspaceContract = {
  /** Problems and replies across all leads, newest first. */
  'notifications.list': method<NotificationItem[]>()(z.object({ limit: z.number().int().min(1).max(200).default(50) })),
  /** One page of leads matching a filter, in a column's order, read through indexes. */
  'leads.query': method<LeadQueryPage>()(leadQuerySchema),
  /** Counts per facet value, each among the leads matching every other filter. */
  'leads.facets': method<LeadFacets>()(leadFilterSchema),
  /** Every lead id matching a filter ("select all N matching"), in no particular order. */
  'leads.ids': method<{ ids: LeadId[] }>()(leadFilterSchema),
  'leads.bulk': method<BulkResult>()(z.object({ target: bulkTargetSchema, action: bulkActionSchema })),
  /** Undoes a bulk delete: the leads come back as they were. */
  'leads.restore': method<{ restored: number }>()(z.object({ batchId: z.string().min(1) })),
  'leads.addNote': method<{ id: string }>()(z.object({ leadId, text: z.string().trim().min(1, 'Write the note first').max(10_000) })),
  'leads.setOptOuts': method<Lead>()(z.object({ id: leadId, optOuts: z.object({ email: z.boolean(), sms: z.boolean() }) })),
  'leads.tablePrefs': method<TablePrefs | null>()(z.object({})),
  'leads.saveTablePrefs': method<TablePrefs>()(tablePrefsSchema),
  'leads.views': method<SavedView[]>()(z.object({})),
  'leads.saveView': method<SavedView[]>()(savedViewSchema),
  'leads.deleteView': method<SavedView[]>()(z.object({ name: z.string().min(1) })),
};
