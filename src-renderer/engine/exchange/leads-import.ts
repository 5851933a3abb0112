import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { LeadImportResult } from '@shared/contract/exchange';
import type { LeadCsvField, LeadCsvRow, RowProblem } from '@shared/exchange/lead-csv';
import type { LeadId } from '@shared/model/ids';
import type { Lead, LeadFields } from '@shared/model/lead';
import { leadInputSchema } from '@shared/model/lead';
import type { User } from '@shared/model/team';
import { isValidTimeZone } from '@shared/time-zone';
import type { EngineDeps } from '../deps';
import { historyEntry, userActor } from '../history/history';
import { toLead } from '../leads/app';
import { insertLeads, newLead, toLeadRow } from '../leads/create';
import { ownedBy } from '../routing/route';

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
  // Already E.164 (what most CRMs export): no need to ask libphonenumber, which costs as much as the rest of the row.
  if (!text || /^\+[1-9]\d{6,14}$/.test(text)) return text;
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

async function writeBatch(deps: EngineDeps, user: User, merged: Lead[], created: Lead[], now: number, automations: boolean): Promise<void> {
  const { db } = deps;
  if (merged.length > 0) {
    const actor = userActor(user);
    const lines = merged.map((lead) =>
      historyEntry(deps.newId(), {
        leadId: lead.id,
        at: now,
        kind: 'leadUpdated',
        summary: 'Updated from a CSV import (duplicate merged)',
        actor,
      }),
    );
    await db.transaction('rw', db.leads, db.history, async () => {
      // Merged into the row as stored now: what the import read may be older (another batch, the
      // scheduler), and the row keeps what is not a lead field (how it was created, its plans' brief).
      const fresh = await db.leads.bulkGet(merged.map((m) => m.id));
      const rows = merged.map((m, i) => {
        const row = fresh[i];
        return row ? { ...row, ...toLeadRow(mergeInto(toLead(row), m, now)) } : toLeadRow(m);
      });
      await db.leads.bulkPut(rows);
      await db.history.bulkAdd(lines);
    });
  }
  if (created.length > 0) await insertLeads(deps, user, created, { automations, origin: 'csv' });
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
  // The latest version of every lead this import created or merged, by email/phone key, so a duplicate
  // later in the file is found in memory (its batch may still be being written).
  const mine = new Map<string, Lead>();
  // Every email and phone stored before the import, read once from the indexes (keys only): most rows
  // are new, and asking the store about each batch cost more than writing it.
  const known =
    p.dedupe === 'create'
      ? null
      : {
          emails: new Set((await db.leads.orderBy('email').uniqueKeys()) as string[]),
          phones: new Set((await db.leads.orderBy('phone').uniqueKeys()) as string[]),
        };
  const column = (path: PropertyKey | undefined) => (path !== undefined ? (p.columns[String(path) as LeadCsvField] ?? String(path)) : '');
  const keysOf = (l: { email?: string | undefined; phone?: string | undefined }) =>
    [l.email ? `e:${l.email}` : '', l.phone ? `p:${l.phone}` : ''].filter(Boolean);

  const ownAtOnce = p.runAutomations && (await db.routingRules.count()) === 0;
  // Batches being written, oldest first. IndexedDB runs read-write transactions over the same tables in
  // the order they were opened, so a batch of new leads is opened while the one before it still writes:
  // its requests are queued when that one commits, and the store never waits for this thread (npm run bench).
  const writing: Promise<void>[] = [];
  let cancelled = false;
  for (let start = 0; start < p.rows.length; start += IMPORT_BATCH) {
    if (hooks.cancelled()) {
      cancelled = true;
      break;
    }
    const batch = p.rows.slice(start, start + IMPORT_BATCH);
    const step = { created: 0, merged: 0, skipped: 0, failed: 0 };
    const stepProblems: RowProblem[] = [];
    const valid: LeadFields[] = [];
    for (const row of batch) {
      const parsed = rowSchema.safeParse(toInput(row, p));
      if (parsed.success) valid.push(parsed.data);
      else {
        step.failed++;
        for (const issue of parsed.error.issues) stepProblems.push({ row: row.row, column: column(issue.path[0]), problem: issue.message });
      }
    }

    // Leads stored before the import that this batch names (this import's own are in `mine`).
    const stored = new Map<string, Lead>();
    if (known) {
      const emails = valid.flatMap((v) => (v.email && known.emails.has(v.email) && !mine.has(`e:${v.email}`) ? [v.email] : []));
      const phones = valid.flatMap((v) => (v.phone && known.phones.has(v.phone) && !mine.has(`p:${v.phone}`) ? [v.phone] : []));
      const [byEmail, byPhone] = await Promise.all([
        emails.length ? db.leads.where('email').anyOf(emails).toArray() : [],
        phones.length ? db.leads.where('phone').anyOf(phones).toArray() : [],
      ]);
      for (const r of [...byPhone, ...byEmail]) {
        const lead = toLead(r);
        for (const k of keysOf(lead)) stored.set(k, lead);
      }
    }

    const now = deps.clock.now();
    const created = new Map<LeadId, Lead>();
    const merged = new Map<LeadId, Lead>();
    for (const fields of valid) {
      const keys = keysOf(fields);
      const match = known ? keys.map((k) => mine.get(k) ?? stored.get(k)).find(Boolean) : undefined;
      if (match) {
        if (p.dedupe === 'skip') {
          step.skipped++;
          continue;
        }
        const next = mergeInto(match, fields, now);
        if (created.has(next.id)) created.set(next.id, next);
        else merged.set(next.id, next);
        for (const k of keysOf(next)) mine.set(k, next);
        step.merged++;
        continue;
      }
      // Without routing rules, routing would make the importer the owner (as for a lead typed in).
      const lead = ownAtOnce ? ownedBy(newLead(deps, fields, user), user) : newLead(deps, fields, user);
      created.set(lead.id, lead);
      if (known) for (const k of keys) mine.set(k, lead);
    }
    step.created = created.size;

    // One batch is written while the next is checked: the store works while this thread validates. A batch
    // that merges duplicates waits for every earlier one (its merge and its inserts are two transactions).
    const overlap = merged.size === 0 ? 1 : 0;
    while (writing.length > overlap) await writing.shift();
    if (hooks.cancelled()) {
      cancelled = true;
      break;
    }
    counts.created += step.created;
    counts.merged += step.merged;
    counts.skipped += step.skipped;
    counts.failed += step.failed;
    problems.push(...stepProblems);
    const progress = { done: Math.min(start + IMPORT_BATCH, p.rows.length), total: p.rows.length, ...counts };
    const written = writeBatch(deps, user, [...merged.values()], [...created.values()], now, p.runAutomations).then(() =>
      hooks.progress(progress),
    );
    // Awaited in turn below; until then a failure must not count as unhandled.
    written.catch(() => undefined);
    writing.push(written);
  }
  for (const written of writing) await written;
  return { ...counts, cancelled, problems };
}
