import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { LeadImportResult } from '@shared/contract/exchange';
import type { LeadCsvField, LeadCsvRow, RowProblem } from '@shared/exchange/lead-csv';
import type { HistoryEntry } from '@shared/model/history';
import type { LeadId } from '@shared/model/ids';
import type { Lead, LeadFields } from '@shared/model/lead';
import { leadInputSchema } from '@shared/model/lead';
import type { User } from '@shared/model/team';
import { isValidTimeZone } from '@shared/time-zone';
import type { EngineDeps } from '../deps';
import { userActor } from '../history/history';
import { toLead } from '../leads/app';
import { insertLeads, newLead, toLeadRow } from '../leads/create';

/** Rows written per transaction: big enough to amortise IndexedDB's commit, small enough for smooth progress and quick cancel. */
export const IMPORT_BATCH = 1000;

export interface LeadImportParams {
  importId: string;
  rows: LeadCsvRow[];
  columns: Partial<Record<LeadCsvField, string>>;
  dedupe: 'merge' | 'skip' | 'create';
  runAutomations: boolean;
  defaultTimeZone: string;
  defaultCountry: string;
}

export interface ImportProgress {
  done: number;
  total: number;
  created: number;
  merged: number;
  skipped: number;
  failed: number;
}

// The lead schema, with zone checks remembered: building an Intl formatter per row costs more than the rest of the row.
const zoneOk = new Map<string, boolean>();
const rowSchema = leadInputSchema.extend({
  timeZone: z.string().refine(
    (zone) => {
      let ok = zoneOk.get(zone);
      if (ok === undefined) zoneOk.set(zone, (ok = isValidTimeZone(zone)));
      return ok;
    },
    { message: 'Unknown time zone (use an IANA name such as America/New_York)' },
  ),
});

function normalizePhone(raw: string, country: string): string {
  const text = raw.trim();
  if (!text) return '';
  const parsed = parsePhoneNumberFromString(text, country.toUpperCase() as CountryCode);
  return parsed?.isPossible() ? parsed.number : text;
}

function toInput(row: LeadCsvRow, p: LeadImportParams): Record<string, unknown> {
  const v = row.values;
  const input: Record<string, unknown> = {
    firstName: v.firstName ?? '',
    lastName: v.lastName ?? '',
    email: v.email ?? '',
    phone: normalizePhone(v.phone ?? '', p.defaultCountry),
    timeZone: v.timeZone?.trim() || p.defaultTimeZone,
    tags: (v.tags ?? '')
      .split(/[;,]/)
      .map((t) => t.trim())
      .filter(Boolean),
  };
  if (v.stage?.trim()) input.stage = v.stage;
  if (v.source?.trim()) input.source = v.source;
  return input;
}

/** A duplicate's empty fields are filled from the row; tags are added; nothing the lead has is overwritten. */
function mergeInto(lead: Lead, f: LeadFields, now: number): Lead {
  return {
    ...lead,
    lastName: lead.lastName || f.lastName,
    email: lead.email ?? f.email,
    phone: lead.phone ?? f.phone,
    source: lead.source || f.source,
    tags: [...new Set([...lead.tags, ...f.tags])],
    updatedAt: now,
  };
}

/**
 * Writes a CSV import in batches, each in its own transaction: a cancel stops between batches and
 * keeps what was written (the result says how many). Every row is checked with the lead schema;
 * a bad row is reported with its row number and column and does not stop the others.
 */
export async function importLeads(
  deps: EngineDeps,
  user: User,
  p: LeadImportParams,
  hooks: { progress(p: ImportProgress): void; cancelled(): boolean },
): Promise<LeadImportResult> {
  const { db } = deps;
  const problems: RowProblem[] = [];
  const counts = { created: 0, merged: 0, skipped: 0, failed: 0 };
  // Leads this import created or merged, so a duplicate later in the same file is found too.
  const seen = new Map<string, LeadId>();
  let cancelled = false;
  // Every email and phone already stored, read once from the indexes (keys only): most rows of an
  // import are new, and asking the store about each batch cost more than writing it.
  const known =
    p.dedupe === 'create'
      ? null
      : {
          emails: new Set((await db.leads.orderBy('email').uniqueKeys()) as string[]),
          phones: new Set((await db.leads.orderBy('phone').uniqueKeys()) as string[]),
        };
  const column = (path: PropertyKey | undefined) => (path !== undefined ? (p.columns[String(path) as LeadCsvField] ?? String(path)) : '');

  for (let start = 0; start < p.rows.length; start += IMPORT_BATCH) {
    if (hooks.cancelled()) {
      cancelled = true;
      break;
    }
    const batch = p.rows.slice(start, start + IMPORT_BATCH);
    const valid: { row: number; fields: LeadFields }[] = [];
    for (const row of batch) {
      const parsed = rowSchema.safeParse(toInput(row, p));
      if (parsed.success) valid.push({ row: row.row, fields: parsed.data });
      else {
        counts.failed++;
        for (const issue of parsed.error.issues) problems.push({ row: row.row, column: column(issue.path[0]), problem: issue.message });
      }
    }

    const existing = new Map<string, Lead>();
    if (known) {
      const emails = valid.flatMap((v) => (v.fields.email && known.emails.has(v.fields.email) ? [v.fields.email] : []));
      const phones = valid.flatMap((v) => (v.fields.phone && known.phones.has(v.fields.phone) ? [v.fields.phone] : []));
      const [byEmail, byPhone] = await Promise.all([
        emails.length ? db.leads.where('email').anyOf(emails).toArray() : [],
        phones.length ? db.leads.where('phone').anyOf(phones).toArray() : [],
      ]);
      for (const r of [...byPhone, ...byEmail]) {
        const lead = toLead(r);
        if (lead.email) existing.set(`e:${lead.email}`, lead);
        if (lead.phone) existing.set(`p:${lead.phone}`, lead);
      }
    }

    const now = deps.clock.now();
    const created: Lead[] = [];
    const merged = new Map<LeadId, Lead>();
    for (const { fields } of valid) {
      const keys = [fields.email ? `e:${fields.email}` : '', fields.phone ? `p:${fields.phone}` : ''].filter(Boolean);
      if (p.dedupe !== 'create') {
        const inBatch = keys.map((k) => seen.get(k)).find(Boolean);
        const match =
          (inBatch && (merged.get(inBatch) ?? created.find((l) => l.id === inBatch))) ?? keys.map((k) => existing.get(k)).find(Boolean);
        if (match) {
          if (p.dedupe === 'skip') counts.skipped++;
          else {
            const isNew = created.includes(match);
            const next = mergeInto(match, fields, now);
            if (isNew) created[created.indexOf(match)] = next;
            else merged.set(next.id, next);
            for (const k of keys) existing.set(k, next);
            counts.merged++;
          }
          continue;
        }
      }
      const lead = newLead(deps, fields, user);
      created.push(lead);
      for (const k of keys) seen.set(k, lead.id);
    }

    if (merged.size > 0) {
      const actor = userActor(user);
      const lines: HistoryEntry[] = [...merged.values()].map((lead) => ({
        id: deps.newId(),
        leadId: lead.id,
        at: now,
        kind: 'leadUpdated',
        summary: 'Updated from a CSV import (duplicate merged)',
        actor,
        planId: null,
        enrollmentId: null,
        stepId: null,
        outboxId: null,
        detail: null,
      }));
      await db.transaction('rw', db.leads, db.history, async () => {
        await db.leads.bulkPut([...merged.values()].map(toLeadRow));
        await db.history.bulkAdd(lines);
      });
      for (const lead of merged.values()) {
        if (lead.email) {
          seen.set(`e:${lead.email}`, lead.id);
          known?.emails.add(lead.email);
        }
        if (lead.phone) {
          seen.set(`p:${lead.phone}`, lead.id);
          known?.phones.add(lead.phone);
        }
      }
    }
    if (created.length > 0) await insertLeads(deps, user, created, { automations: p.runAutomations, origin: 'csv' });
    for (const lead of created) {
      if (lead.email) known?.emails.add(lead.email);
      if (lead.phone) known?.phones.add(lead.phone);
    }
    counts.created += created.length;
    hooks.progress({ done: Math.min(start + IMPORT_BATCH, p.rows.length), total: p.rows.length, ...counts });
  }
  return { ...counts, cancelled, problems };
}
