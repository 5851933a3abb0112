import { z } from 'zod';

/**
 * The replicated document: one local row, as it travels between computers through the team server
 * (CouchDB's replication protocol). docs/design.md §9 says how rows map to documents and back.
 *
 * - `_id` is `<kind>:<row key>`; `_rev` is CouchDB's revision (deterministic: same content, same rev).
 * - `row` is the row as stored, less the fields each computer derives for itself (a lead's index
 *   and summary fields, the enrollment's runner seen as "here").
 * - `m` says who wrote this revision: when (the writer's clock), from which computer, as which user.
 * - `access` (leads and what belongs to them): the people on the lead; the server routes the
 *   document to their databases. `revoked`: who just lost the lead, so their copy goes too.
 * - `clock` (leads): when each field last changed and on which computer, for the field-wise merge.
 * - `gone`: the row was deleted on the writer's computer (leads: soft delete, undoable).
 */
export const SYNC_DOC_VERSION = 1;

export const TEAM_KINDS = ['account', 'user', 'setting', 'plan', 'template', 'routingRule', 'routingSettings', 'device', 'capDay'] as const;
export const LEAD_KINDS = ['lead', 'enrollment', 'history', 'task'] as const;
export const SYNC_KINDS = [...TEAM_KINDS, ...LEAD_KINDS] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];
export type LeadKind = (typeof LEAD_KINDS)[number];

export const isLeadKind = (kind: string): kind is LeadKind => (LEAD_KINDS as readonly string[]).includes(kind);

/** When and where one field of a lead last changed: [epoch ms, computer id]. Later wins; the id breaks ties. */
export type FieldStamp = [number, string];

export const syncMetaSchema = z.object({
  at: z.number(),
  device: z.string().min(1),
  user: z.string(),
  /** The `at` of the revision this one was written over: a merge reports only changes made after the revisions parted. */
  base: z.number().optional(),
  /** Written by a merge of conflicting revisions, not from the writer's own row. */
  merged: z.boolean().optional(),
});
export type SyncMeta = z.infer<typeof syncMetaSchema>;

const stamp = z.tuple([z.number(), z.string()]);

export const syncDocSchema = z.object({
  _id: z.string().min(3),
  _rev: z.string().optional(),
  _conflicts: z.array(z.string()).optional(),
  kind: z.enum(SYNC_KINDS),
  v: z.number().int().min(1),
  row: z.record(z.string(), z.unknown()),
  m: syncMetaSchema,
  access: z.array(z.string()).optional(),
  revoked: z.array(z.string()).optional(),
  clock: z.record(z.string(), stamp).optional(),
  gone: z.boolean().optional(),
});
export type SyncDoc = z.infer<typeof syncDocSchema>;

export const docIdOf = (kind: SyncKind, key: string): string => `${kind}:${key}`;

/** The kind and row key of a document id, or null for ids that are not ours (design documents). */
export function parseDocId(id: string): { kind: SyncKind; key: string } | null {
  const i = id.indexOf(':');
  if (i < 1) return null;
  const kind = id.slice(0, i);
  return (SYNC_KINDS as readonly string[]).includes(kind) ? { kind: kind as SyncKind, key: id.slice(i + 1) } : null;
}

/** A document as it arrived, checked: what is wrong with it in words, or the document. */
export function readSyncDoc(raw: unknown): { ok: true; doc: SyncDoc } | { ok: false; reason: string } {
  const parsed = syncDocSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'not readable'}` };
  }
  const doc = parsed.data;
  if (doc.v > SYNC_DOC_VERSION) return { ok: false, reason: 'it was written by a newer version of Action Plans: update this app' };
  const id = parseDocId(doc._id);
  if (!id || id.kind !== doc.kind) return { ok: false, reason: `its id "${doc._id}" does not match its kind "${doc.kind}"` };
  return { ok: true, doc };
}
