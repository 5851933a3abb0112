import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, parseCsv, problemsCsv, toLeadRows } from '@shared/exchange/csv-read';
import { guessField, neutralizeCell } from '@shared/exchange/lead-csv';
import type { LeadCsvField, LeadCsvRow } from '@shared/exchange/lead-csv';
import type { AppError } from '@shared/rpc/errors';
import type { EngineContract, EngineEvents } from '@shared/contract';
import { createRpcClient } from '@shared/rpc/client';
import { aLead, aPlan, currentUserId, startEngine } from './harness';
import type { TestEngine } from './harness';
import type { Lead } from '@shared/model/lead';

const fieldsOf = ({ id: _i, optOuts: _o, createdAt: _c, updatedAt: _u, createdBy: _b, ...fields }: Lead) => fields;

const FIXTURES = join(__dirname, '../../fixtures/exchange');
const bytes = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const read = (name: string) => parseCsv(decodeCsvBytes(bytes(name)).text);

function autoColumns(headers: string[]): Record<string, LeadCsvField> {
  const out: Record<string, LeadCsvField> = {};
  for (const h of headers) {
    const f = guessField(h);
    if (f) out[h] = f;
  }
  return out;
}

async function importFile(t: TestEngine, name: string, dedupe: 'merge' | 'skip' | 'create' = 'merge', runAutomations = true) {
  const csv = read(name);
  const columns = autoColumns(csv.headers);
  return t.call('exchange.leads.import', {
    importId: name,
    rows: toLeadRows(csv, columns),
    columns: Object.fromEntries(Object.entries(columns).map(([h, f]) => [f, h])),
    dedupe,
    runAutomations,
    defaultTimeZone: 'America/Chicago',
  });
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('reading CSV files from other systems', () => {
  it('UTF-8 with a BOM: the BOM is not part of the first header', () => {
    const decoded = decodeCsvBytes(bytes('with-bom.csv'));
    expect(decoded.encoding).toBe('UTF-8 (with BOM)');
    expect(parseCsv(decoded.text).headers[0]).toBe('First name');
  });

  it.each([
    ['utf16le-bom.csv', 'UTF-16 LE'],
    ['utf16be-bom.csv', 'UTF-16 BE'],
    ['utf16le-no-bom.csv', 'UTF-16 LE'],
    ['windows-1252.csv', 'Windows-1252'],
  ])('%s is read as %s with accents intact and ; as the delimiter', (file, encoding) => {
    const decoded = decodeCsvBytes(bytes(file));
    expect(decoded.encoding).toBe(encoding);
    const csv = parseCsv(decoded.text);
    expect(csv.delimiter).toBe(';');
    expect(csv.rows).toEqual([
      ['José', 'Müller', 'jose@example.com'],
      ['François', 'Naïve', 'francois@example.com'],
    ]);
  });

  it('mixed line endings (CRLF, LF, CR) still give one record per line', () => {
    expect(read('mixed-line-endings.csv').rows.map((r) => r[0])).toEqual(['Ann', 'Bo', 'Cy']);
  });

  it('a quoted field keeps its newline, comma and doubled quotes', () => {
    const csv = read('quoted-newlines.csv');
    expect(csv.rows[0]![2]).toBe('Line one\nline two, with comma');
    expect(csv.rows[1]![0]).toBe('Bo "Bobby"');
  });

  it.each([
    ['empty.csv', /The file is empty/],
    ['header-only.csv', /header row but no leads/],
    ['duplicate-headers.csv', /column “email” appears twice \(columns 2 and 4\)/],
  ])('%s is refused: %s', (file, message) => {
    const err = errorOf(() => read(file));
    expect(err.code).toBe('ValidationFailed');
    expect(err.message).toMatch(message);
  });
});

describe('importing leads from CSV', () => {
  it('imports every good row, reports each bad row with its row number and column, and keeps going', async () => {
    const t = await startEngine();
    const result = await importFile(t, 'bad-rows.csv');
    expect(result).toMatchObject({ created: 1, failed: 3, merged: 0, skipped: 0, cancelled: false });
    expect(result.problems).toEqual([
      { row: 3, column: 'First name', problem: 'First name is required' },
      { row: 4, column: 'Email', problem: 'Email address is not valid' },
      { row: 5, column: 'Phone', problem: 'Phone must be in E.164 form, e.g. +14155550123' },
    ]);
    const report = Papa.parse<string[]>(problemsCsv(result.problems)).data;
    expect(report[0]).toEqual(['Row', 'Column', 'Problem']);
    expect(report[1]).toEqual(['3', 'First name', 'First name is required']);
    const { rows } = await t.call('leads.list', {});
    expect(rows.map((l) => l.firstName)).toEqual(['Ann']);
  });

  it('phones are read as numbers of the default country and leads get the default time zone', async () => {
    const t = await startEngine();
    await importFile(t, 'with-bom.csv');
    const { rows } = await t.call('leads.list', { search: 'ann' });
    expect(rows[0]).toMatchObject({ phone: '+14155550123', timeZone: 'America/Chicago', tags: ['buyer', 'zillow'] });
    const history = await t.call('leads.history', { leadId: rows[0]!.id });
    expect(history.map((h) => h.summary)).toEqual(['Lead Ann Lee created by CSV import']);
  });

  it('an imported lead’s timeline starts with its "created" line, told by the lead row, said once', async () => {
    const t = await startEngine();
    await importFile(t, 'with-bom.csv');
    const { rows } = await t.call('leads.list', { search: 'ann' });
    const lead = rows[0]!;
    const me = (await t.call('session.get', {})).currentUser;
    // Nothing is stored for it: one write per imported row.
    expect(await t.db.history.where('[leadId+at]').between([lead.id, -Infinity], [lead.id, Infinity]).count()).toBe(0);
    const stored = await t.call('leads.get', { id: lead.id });
    await t.call('leads.update', { id: lead.id, fields: { ...fieldsOf(stored), stage: 'Nurture' } });
    const timeline = await t.call('leads.history', { leadId: lead.id });
    expect(timeline.map((h) => [h.kind, h.summary])).toEqual([
      ['leadUpdated', 'Profile updated'],
      ['leadCreated', 'Lead Ann Lee created by CSV import'],
    ]);
    expect(timeline[1]).toMatchObject({ at: lead.createdAt, actor: { kind: 'user', userId: me.id, name: me.name } });
    // A lead an earlier version imported has its line stored: it is shown once.
    await t.db.history.add({ ...timeline[1]!, id: 'stored-by-an-earlier-version' });
    const again = await t.call('leads.history', { leadId: lead.id });
    expect(again.filter((h) => h.kind === 'leadCreated').map((h) => h.id)).toEqual(['stored-by-an-earlier-version']);
  });

  const importText = (t: TestEngine, text: string) => {
    const csv = parseCsv(decodeCsvBytes(new TextEncoder().encode(text)).text);
    return t.call('exchange.leads.import', {
      importId: 'text',
      rows: toLeadRows(csv, autoColumns(csv.headers)),
      columns: {},
      dedupe: 'merge',
      defaultTimeZone: 'UTC',
    });
  };
  const createdLine = async (t: TestEngine, email: string) => {
    const { rows } = await t.call('leads.list', { search: email });
    const timeline = await t.call('leads.history', { leadId: rows[0]!.id });
    return timeline.filter((h) => h.kind === 'leadCreated').map((h) => h.summary);
  };

  it('an imported lead routed by a rule keeps its "created by CSV import" line', async () => {
    const t = await startEngine();
    const ava = (await t.call('team.users.add', { name: 'Ava Agent', role: 'agent' })).id;
    await t.call('routing.rules.create', { name: 'Everyone', isDefault: true, assigneeIds: [ava] });
    await importText(t, 'First name,Last name,Email\nRia,Stone,ria@example.com\n');
    expect((await t.call('leads.list', { search: 'ria' })).rows[0]!.assignees.buyerAgent).toBe(ava);
    expect(await createdLine(t, 'ria')).toEqual(['Lead Ria Stone created by CSV import']);
  });

  it('a duplicate further down the same file merges into the imported lead, which keeps its "created" line', async () => {
    const t = await startEngine();
    const filler = Array.from({ length: 1_100 }, (_, i) => `F${i},Filler,f${i}@example.com`).join('\n');
    await importText(t, `First name,Last name,Email\nRia,,ria@example.com\n${filler}\nRia,Stone,ria@example.com\n`);
    const { rows } = await t.call('leads.list', { search: 'ria' });
    expect(rows.map((l) => [l.firstName, l.lastName])).toEqual([['Ria', 'Stone']]);
    expect(await createdLine(t, 'ria')).toEqual(['Lead Ria Stone created by CSV import']);
  });

  it('a duplicate of a lead in a plan merges into it without losing the lead’s plans from its summary', async () => {
    const t = await startEngine();
    const owner = await currentUserId(t);
    const plan = await t.call(
      'plans.create',
      aPlan(owner, { steps: [{ ...aPlan(owner).steps[0]!, timing: { kind: 'after', amount: 2, unit: 'days' } }] }),
    );
    const lead = await t.call('leads.create', aLead({ firstName: 'Ria', lastName: '', email: 'ria@example.com' }));
    await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
    await importText(t, 'First name,Last name,Email\nRia,Stone,ria@example.com\n');
    const row = await t.db.leads.get(lead.id);
    expect(row).toMatchObject({ lastName: 'Stone', planIds: [plan.id], activePlanCount: 1 });
    expect(row!.enrollmentBrief).toHaveLength(1);
  });

  it('imported leads go through plan triggers and routing like a lead typed in, unless the user opts out', async () => {
    const t = await startEngine();
    const me = (await t.call('session.get', {})).currentUser.id;
    const plan = await t.call('plans.create', {
      ...aPlan(me),
      scope: { kind: 'account' },
      triggers: { tags: ['buyer'], stages: [], sources: [] },
    });
    await importFile(t, 'with-bom.csv', 'merge', true);
    const ann = (await t.call('leads.list', { search: 'ann' })).rows[0]!;
    expect(ann.assignees).toEqual({ buyerAgent: me });
    expect((await t.call('enrollments.forLead', { leadId: ann.id })).map((e) => e.planId)).toEqual([plan.id]);
    const bo = (await t.call('leads.list', { search: 'bo' })).rows[0]!;
    expect(await t.call('enrollments.forLead', { leadId: bo.id })).toEqual([]);

    const u = await startEngine();
    await u.call('plans.create', { ...aPlan(me), scope: { kind: 'account' }, triggers: { tags: ['buyer'], stages: [], sources: [] } });
    await importFile(u, 'with-bom.csv', 'merge', false);
    const quiet = (await u.call('leads.list', { search: 'ann' })).rows[0]!;
    expect(quiet.assignees).toEqual({});
    expect(await u.call('enrollments.forLead', { leadId: quiet.id })).toEqual([]);
  });

  it('a lead already here (same email or phone) is merged, skipped or duplicated as chosen', async () => {
    const t = await startEngine();
    const ann = await t.call('leads.create', aLead({ phone: '', tags: ['past-client'] }));
    expect(await importFile(t, 'with-bom.csv', 'skip')).toMatchObject({ created: 1, skipped: 1 });
    expect((await t.call('leads.get', { id: ann.id })).tags).toEqual(['past-client']);

    expect(await importFile(t, 'with-bom.csv', 'merge')).toMatchObject({ created: 0, merged: 2 });
    // Merging fills what was empty and adds tags; it never overwrites what the lead had.
    expect(await t.call('leads.get', { id: ann.id })).toMatchObject({
      firstName: 'Ann',
      phone: '+14155550123',
      tags: ['past-client', 'buyer', 'zillow'],
    });

    expect(await importFile(t, 'with-bom.csv', 'create')).toMatchObject({ created: 2 });
    expect((await t.call('leads.list', {})).total).toBe(4);
  });

  it('the same person twice in one file becomes one lead when merging', async () => {
    const t = await startEngine();
    const rows = [
      { row: 2, values: { firstName: 'Ann', email: 'ann@example.com' } },
      { row: 3, values: { firstName: 'Ann', email: 'ANN@example.com', tags: 'vip' } },
    ];
    const result = await t.call('exchange.leads.import', { importId: 'x', rows, columns: {}, dedupe: 'merge', defaultTimeZone: 'UTC' });
    expect(result).toMatchObject({ created: 1, merged: 1 });
    expect((await t.call('leads.list', {})).rows[0]!.tags).toEqual(['vip']);
  });

  it('a duplicate far apart in a big file (another batch) is still found', async () => {
    const t = await startEngine();
    const rows: LeadCsvRow[] = Array.from({ length: 1500 }, (_, i) => ({
      row: i + 2,
      values: { firstName: `Lead${i}`, email: `l${i}@example.com` },
    }));
    rows.push({ row: 1502, values: { firstName: 'Again', email: 'l3@example.com', tags: 'late' } });
    const result = await t.call('exchange.leads.import', { importId: 'far', rows, columns: {}, dedupe: 'merge', defaultTimeZone: 'UTC' });
    expect(result).toMatchObject({ created: 1500, merged: 1 });
    expect((await t.call('leads.list', { search: 'l3@example.com' })).rows[0]).toMatchObject({ firstName: 'Lead3', tags: ['late'] });
  });

  it('progress is reported batch by batch and cancel stops between batches, keeping what was written', async () => {
    const t = await startEngine();
    const { port1, port2 } = new MessageChannel();
    t.engine.serve(port2);
    port1.start();
    port2.start();
    const client = createRpcClient<EngineContract, EngineEvents>(port1);
    const rows = Array.from({ length: 6000 }, (_, i) => ({ row: i + 2, values: { firstName: `Lead${i}`, email: `l${i}@example.com` } }));
    const progress: EngineEvents['importProgress'][] = [];
    client.on('importProgress', (p) => {
      progress.push(p);
      if (progress.length === 1) void client.call('exchange.leads.cancelImport', { importId: 'big' });
    });
    const done = await client.call('exchange.leads.import', {
      importId: 'big',
      rows,
      columns: {},
      dedupe: 'merge',
      defaultTimeZone: 'UTC',
    });
    port1.close();
    expect(progress[0]).toMatchObject({ importId: 'big', done: 1000, total: 6000, created: 1000 });
    expect(done.cancelled).toBe(true);
    expect(done.created).toBeLessThan(6000);
    expect(await t.db.leads.count()).toBe(done.created);
  });
});

describe('exporting leads to CSV', () => {
  it('cells that a spreadsheet would run as formulas are neutralised', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'Ann', ''].map(neutralizeCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      'Ann',
      '',
    ]);
  });

  it('a CSV exported here imports back into another profile as the same leads', async () => {
    const a = await startEngine();
    await a.call('leads.create', aLead({ firstName: 'Ann', tags: ['buyer', 'vip'], stage: 'Hot', source: 'Zillow' }));
    await a.call('leads.create', aLead({ firstName: '=Bo', email: 'bo@example.com', phone: '' }));
    const { text } = await a.call('exchange.leads.export', {});
    const csv = parseCsv(decodeCsvBytes(new TextEncoder().encode(text)).text);
    const columns = autoColumns(csv.headers);
    const b = await startEngine();
    await b.call('exchange.leads.import', {
      importId: 'rt',
      rows: toLeadRows(csv, columns),
      columns: {},
      dedupe: 'merge',
      defaultTimeZone: 'UTC',
    });
    const pick = (l: {
      firstName: string;
      email?: string;
      phone?: string;
      tags: string[];
      stage: string;
      source: string;
      timeZone: string;
    }) => ({
      firstName: l.firstName,
      email: l.email,
      phone: l.phone,
      tags: l.tags,
      stage: l.stage,
      source: l.source,
      timeZone: l.timeZone,
    });
    const sort = (rows: ReturnType<typeof pick>[]) => rows.sort((x, y) => x.firstName.localeCompare(y.firstName));
    expect(sort((await b.call('leads.list', {})).rows.map(pick))).toEqual(sort((await a.call('leads.list', {})).rows.map(pick)));
  });

  it('the export holds the leads of the current view, with formula-like names neutralised', async () => {
    const t = await startEngine();
    await t.call('leads.create', aLead({ firstName: '=HYPERLINK("http://evil")', lastName: 'Lee' }));
    await t.call('leads.create', aLead({ firstName: 'Bo', email: 'bo@example.com', phone: '+14155550199' }));
    const all = await t.call('exchange.leads.export', {});
    expect(all.count).toBe(2);
    const data = Papa.parse<string[]>(all.text.replace(/^\uFEFF/, '')).data;
    expect(data[0]).toEqual(['First name', 'Last name', 'Email', 'Phone', 'Stage', 'Source', 'Tags', 'Time zone', 'Created']);
    expect(data.map((r) => r[0])).toContain('\'=HYPERLINK("http://evil")');
    expect(data.find((r) => r[0] === 'Bo')![3]).toBe("'+14155550199");
    const some = await t.call('exchange.leads.export', { search: 'bo' });
    expect(some.count).toBe(1);
  });
});
