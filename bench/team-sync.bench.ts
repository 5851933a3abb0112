import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LeadId } from '@shared/model/ids';
import type { Lead } from '@shared/model/lead';
import { DESIGN_DOC_ID, leadsSecurity, leadsValidation, teamDatabases } from '@shared/sync/server';
import type { CouchServer } from '../test/support/couch-server';
import { startCouch } from '../test/support/couch-server';
import { startTestSmtp } from '../test/unit/main/smtp-test-server';
import type { TestSmtp } from '../test/unit/main/smtp-test-server';
import { T0 } from '../test/unit/engine/harness';
import type { Computer, Team } from '../test/unit/engine/team-harness';
import { edit, teamOnServer } from '../test/unit/engine/team-harness';
import { leadSearchWords } from '../src-renderer/engine/store/search-key';
import type { LeadRow } from '../src-renderer/engine/store/db';
import type { PouchDatabase, PouchDoc } from '../src-renderer/engine/sync/pouch';
import { loadPouch } from '../src-renderer/engine/sync/pouch';
import { hostFetch, TEAM_PASSWORD_SECRET } from '../src-renderer/engine/sync/couch';
import { POLL_MS } from '../src-renderer/engine/sync/session';

// A team on the loopback test server (pouchdb-server --in-memory, see test/support/couch-server.ts),
// each computer on its own fake-indexeddb store, as in the story tests (test/unit/engine/team-sync.test.ts):
//  1. the manager's upload of N leads, the server's own copy of them into the agent's database, and a
//     new agent computer's first sync of them (join + rounds until its store holds all N);
//  2. the delay from a lead edited on the manager's computer to its arrival on the agent's, with sync
//     rounds driven back to back (the app's loop waits POLL_MS between rounds: up to that much more);
//  3. the same server's raw replication rate (PouchDB alone, docs of the same content) both ways: the ceiling.
// BENCH_SYNC_LEADS (default 10,000) and BENCH_SYNC_EDITS (default 10) change the sizes.
const LEADS = Number(process.env.BENCH_SYNC_LEADS ?? 10_000);
const EDITS = Number(process.env.BENCH_SYNC_EDITS ?? 10);
const BATCH = { batch_size: 200, batches_limit: 5 }; // what SyncSession.replicate uses

let couch: CouchServer;
let smtp: TestSmtp;
let team: Team | undefined;

beforeAll(async () => {
  [couch, smtp] = await Promise.all([startCouch(), startTestSmtp()]);
}, 60_000);

afterAll(async () => {
  await team?.close();
  await smtp?.close();
  await couch?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The server administrator's request (database creation, counts), straight to the server. */
async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${couch.url}/${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${couch.admin.user}:${couch.admin.password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Polls until `done` holds (checked every `every` ms), failing after `limitMs`. */
async function until(what: string, done: () => Promise<boolean>, limitMs: number, every = 100): Promise<void> {
  const end = performance.now() + limitMs;
  while (!(await done())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

/** Each replication PouchDB ran for the session (its pushes and pulls): the rest of a round is the app's own work. */
interface Run {
  phase: 'push' | 'pull';
  db: string;
  ms: number;
  written: number;
}
let runs: Run[] = [];
async function measured<T>(body: () => Promise<T>): Promise<{ ms: number; runs: Run[]; value: T }> {
  runs = [];
  const start = performance.now();
  const value = await body();
  return { ms: performance.now() - start, runs, value };
}
const spent = (rs: Run[], phase: Run['phase']) => rs.filter((r) => r.phase === phase).reduce((n, r) => n + r.ms, 0);
const split = (m: { ms: number; runs: Run[] }) =>
  `replication: push ${seconds(spent(m.runs, 'push'))}, pull ${seconds(spent(m.runs, 'pull'))}; the app's own work ${seconds(m.ms - spent(m.runs, 'push') - spent(m.runs, 'pull'))}`;
/** The replications that took a while, summed per database and direction: where a round's time goes. */
const slowest = (m: { runs: Run[] }) => {
  const sums = new Map<string, { ms: number; n: number; written: number }>();
  for (const r of m.runs) {
    const key = `${r.phase} ${r.db}`;
    const s = sums.get(key) ?? { ms: 0, n: 0, written: 0 };
    sums.set(key, { ms: s.ms + r.ms, n: s.n + 1, written: s.written + r.written });
  }
  return [...sums]
    .filter(([, s]) => s.ms >= 250)
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([key, s]) => `${key} ${seconds(s.ms)} (${s.n}×, ${s.written.toLocaleString('en-US')} docs written)`)
    .join('; ');
};

it(`team sync at ${LEADS.toLocaleString('en-US')} leads, beside the server's raw replication rate`, async () => {
  const Pouch = await loadPouch();
  const replicate = Pouch.replicate.bind(Pouch);
  // The session's replications go through this same PouchDB object: timed here, left as they are.
  Pouch.replicate = (source, target, options) => {
    const replication = replicate(source, target, options);
    const start = performance.now();
    const pull = source.name.startsWith('http');
    // The database by its kind: `leads`, `team`, `u-…` (a person's leads), `p-…` (personal plans).
    const db = ((pull ? source : target).name.split('/').pop() ?? '').replace(/^ap-[^-]+-/, '').replace(/^([up]-).+/, '$1…');
    replication.then(
      (info) => runs.push({ phase: pull ? 'pull' : 'push', db, ms: performance.now() - start, written: info.docs_written }),
      () => undefined,
    );
    return replication;
  };
  console.log(`\nteam sync, ${LEADS.toLocaleString('en-US')} leads (each computer on fake-indexeddb, the server on loopback)`);

  // ---- 1. A new member's first sync -------------------------------------------------------------
  team = await teamOnServer(couch, smtp.port);
  const { manager, people } = team;
  const dbs = teamDatabases(team.teamId);
  const rows: LeadRow[] = Array.from({ length: LEADS }, (_, i) => {
    const lead: Lead = {
      firstName: `Lead${i}`,
      lastName: 'Test',
      email: `lead${i}@example.com`,
      phone: '+14155550123',
      timeZone: 'America/New_York',
      stage: 'New',
      contactType: 'Lead',
      source: 'Zillow',
      tags: ['buyer'],
      eventDates: {},
      id: `lead${i}` as LeadId,
      assignees: { buyerAgent: people.agent.id },
      optOuts: { email: false, sms: false },
      createdAt: T0 + i,
      updatedAt: T0 + i,
      createdBy: people.manager.id,
    };
    return { ...lead, searchWords: leadSearchWords(lead) };
  });
  // The manager is connected: the store's journal notes these writes (as any write), the next rounds send them.
  await manager.t.db.leads.bulkAdd(rows);
  expect(await manager.t.db.syncJournal.count()).toBeGreaterThan(0);

  let rounds = 0;
  const upload = await measured(async () => {
    for (;;) {
      const status = await manager.sync();
      rounds++;
      if (status.state !== 'synced') throw new Error(`the manager's round did not sync: ${status.message}`);
      if (status.waiting === 0 && (await manager.t.db.syncJournal.count()) === 0) break;
    }
    await until('the leads on the server', async () => (await admin('GET', dbs.leads)).json.doc_count === LEADS + 1, 120_000);
  });
  const uploadRounds = rounds;
  console.log(`  manager's upload: ${seconds(upload.ms)} in ${uploadRounds} round(s)`);

  // The server's own replication (its _replicator, filtered by person) into the agent's database.
  const agentDb = dbs.user(people.agent.id);
  const fanOutStart = performance.now() - upload.ms;
  await until('the server to copy the leads to the agent', async () => (await admin('GET', agentDb)).json.doc_count === LEADS + 1, 240_000);
  const fanOutMs = performance.now() - fanOutStart;

  let joinMs = 0;
  let agent!: Computer;
  rounds = 0;
  const first = await measured(async () => {
    const start = performance.now();
    agent = await team!.join('agent');
    joinMs = performance.now() - start;
    while ((await agent.t.db.leads.count()) < LEADS) {
      const status = await agent.sync();
      rounds++;
      if (status.state !== 'synced') throw new Error(`the agent's round did not sync: ${status.message}`);
      if (rounds > 50) throw new Error(`the agent holds ${await agent.t.db.leads.count()} of ${LEADS} leads after 50 rounds`);
    }
  });
  const firstRounds = rounds;
  console.log(`  agent's first sync: ${seconds(first.ms)}; the raw rates next`);

  // ---- 2. Change propagation -------------------------------------------------------------------
  const idleAgent: ReturnType<typeof split>[] = [];
  const idleAgentMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const m = await measured(() => agent.sync());
    idleAgentMs.push(m.ms);
    const slow = slowest(m);
    idleAgent.push(slow ? `${split(m)}; slowest: ${slow}` : split(m));
  }
  const idleManager = await measured(() => manager.sync());

  const delays: number[] = [];
  const senderMs: number[] = [];
  const agentRounds: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const id = `lead${Math.floor((i * LEADS) / EDITS)}` as LeadId;
    const lastName = `Edited${i}`;
    await edit(manager, id, { lastName });
    const start = performance.now();
    await manager.sync();
    senderMs.push(performance.now() - start);
    let n = 0;
    while ((await agent.t.db.leads.get(id))?.lastName !== lastName) {
      await agent.sync();
      n++;
      if (n > 500) throw new Error(`the edit of ${id} did not reach the agent in 500 rounds`);
    }
    delays.push(performance.now() - start);
    agentRounds.push(n);
  }

  // ---- 3. The server's raw replication rate -----------------------------------------------------
  // Documents of the same content: copies of one lead's document as the server holds it.
  const sample = (await admin('GET', `${agentDb}/${encodeURIComponent('lead:lead1')}`)).json;
  const { _id: _sid, _rev: _srev, ...body } = sample;
  const docBytes = JSON.stringify(sample).length;
  const docs = (from: number, to: number): PouchDoc[] =>
    Array.from({ length: to - from }, (_, i) => ({ ...body, _id: `lead:raw${from + i}` }));

  /** Upload from a filled local idb database, then download into a fresh one; `remote` on the server. */
  async function rawRates(remote: PouchDatabase, label: string): Promise<{ up: number; down: number }> {
    const source: PouchDatabase = new Pouch(`bench-${label}-up-${process.pid}`, { adapter: 'idb' });
    for (let i = 0; i < LEADS; i += 1000) await source.bulkDocs(docs(i, Math.min(LEADS, i + 1000)));
    let start = performance.now();
    const up = await replicate(source, remote, BATCH);
    const upMs = performance.now() - start;
    expect(up.docs_written).toBe(LEADS);
    const target: PouchDatabase = new Pouch(`bench-${label}-down-${process.pid}`, { adapter: 'idb' });
    start = performance.now();
    const down = await replicate(remote, target, BATCH);
    const downMs = performance.now() - start;
    expect(down.docs_written).toBeGreaterThanOrEqual(LEADS); // and a design document
    for (const db of [source, target]) await db.destroy();
    return { up: upMs, down: downMs };
  }

  // a. PouchDB alone: the server's administrator, Node's fetch, a database with no checks.
  const plainName = `bench-plain-${process.pid}`;
  expect((await admin('PUT', plainName)).status).toBe(201);
  const auth = { username: couch.admin.user, password: couch.admin.password };
  const plain = await rawRates(new Pouch(`${couch.url}/${plainName}`, { auth, skip_setup: true }), 'plain');
  await admin('DELETE', plainName);

  // b. As the app meets the server: the manager's sign-in through the host's couch.request (hostFetch),
  //    into a database with the team leads database's security and validate_doc_update.
  const checkedName = `bench-checked-${process.pid}`;
  expect((await admin('PUT', checkedName)).status).toBe(201);
  await admin('PUT', `${checkedName}/_security`, leadsSecurity(dbs.prefix));
  await admin('PUT', `${checkedName}/${DESIGN_DOC_ID}`, { language: 'javascript', validate_doc_update: leadsValidation(dbs.prefix) });
  const account = { url: couch.url, user: team.loginOf('Maria'), passwordSecret: TEAM_PASSWORD_SECRET };
  const viaHost = new Pouch(`${couch.url}/${checkedName}`, { fetch: hostFetch(manager.host, account), skip_setup: true });
  const checked = await rawRates(viaHost, 'checked');
  await admin('DELETE', checkedName);

  // ---- The figures ------------------------------------------------------------------------------
  const W = 72;
  const rawUp = rate(LEADS, plain.up);
  const rawDown = rate(LEADS, plain.down);
  const line = (label: string, ms: number, unit: string, raw?: number) =>
    console.log(
      `  ${label.padEnd(W)} ${seconds(ms).padStart(8)} ${`${rate(LEADS, ms).toLocaleString('en-US')} ${unit}/s`.padStart(13)}` +
        (raw ? `  ${(rate(LEADS, ms) / raw).toFixed(2)}× raw` : ''),
    );
  console.log(`\n${LEADS.toLocaleString('en-US')} leads (a lead's document: ~${docBytes} bytes of JSON)`);
  console.log(`  ${''.padEnd(W)} ${'time'.padStart(8)} ${'rate'.padStart(13)}`);
  line('raw upload: PouchDB idb → server (admin, no checks)', plain.up, 'docs');
  line('raw download: server → fresh PouchDB idb', plain.down, 'docs');
  line('raw, via the host as the manager, with the team’s checks: upload', checked.up, 'docs', rawUp);
  line('raw, via the host as the manager: download', checked.down, 'docs', rawDown);
  line(`app: manager’s upload (journal → mirror → server, ${uploadRounds} round(s))`, upload.ms, 'leads', rawUp);
  line('server: leads db → agent’s db (its _replicator; from upload start)', fanOutMs, 'leads');
  line(`app: agent’s first sync (join → all in its store, ${firstRounds} more round(s))`, first.ms, 'leads', rawDown);
  console.log(`    of which sync.connect (the new computer's set-up and first round): ${seconds(joinMs)}`);
  console.log(`  manager's upload: ${split(upload)}`);
  console.log(`    slowest: ${slowest(upload)}`);
  console.log(`  agent's first sync: ${split(first)}`);
  console.log(`    slowest: ${slowest(first)}`);
  const firstRate = rate(LEADS, first.ms);
  console.log(
    `\nnew member's first sync of ${LEADS.toLocaleString('en-US')} leads: ${seconds(first.ms)}, ${firstRate.toLocaleString('en-US')} leads/s` +
      ` (the manager's upload before it: ${seconds(upload.ms)}, ${rate(LEADS, upload.ms).toLocaleString('en-US')} leads/s)`,
  );
  console.log(
    `  ratio, app first sync ÷ raw download: ${firstRate.toLocaleString('en-US')} leads/s ÷ ${rawDown.toLocaleString('en-US')} docs/s = ${(firstRate / rawDown).toFixed(2)}`,
  );
  const rawBoth = rate(LEADS, plain.up + plain.down);
  console.log(
    `  ratio, app upload + first sync ÷ raw upload + download: ${rate(LEADS, upload.ms + first.ms).toLocaleString('en-US')} ÷ ${rawBoth.toLocaleString('en-US')} docs/s = ${(rate(LEADS, upload.ms + first.ms) / rawBoth).toFixed(2)}`,
  );

  console.log(`\nchange propagation, manager → agent (${EDITS} edits, one lead each; loopback; sync rounds back to back)`);
  console.log(
    `  edit committed → on the agent's store: median ${median(delays).toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms, min ${Math.min(...delays).toFixed(0)} ms`,
  );
  console.log(
    `  the manager's round: median ${median(senderMs).toFixed(0)} ms; agent rounds per edit: median ${median(agentRounds)}, max ${Math.max(...agentRounds)}`,
  );
  console.log(`  idle rounds after the first sync, agent: ${idleAgentMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
  idleAgent.forEach((s, i) => console.log(`    ${i + 1}: ${s}`));
  console.log(`  an idle round, manager: ${idleManager.ms.toFixed(0)} ms`);
  console.log(
    `  not measured here: the app's own loop sends a write ~200 ms after it and otherwise waits POLL_MS = ${POLL_MS} ms between rounds` +
      ` (src-renderer/engine/sync/session.ts), so in use the receiver adds up to ${POLL_MS} ms (${POLL_MS / 2} on average):` +
      ` ~${(median(delays) + 200 + POLL_MS / 2).toFixed(0)} ms typical, up to ~${(Math.max(...delays) + 200 + POLL_MS).toFixed(0)} ms`,
  );
  expect(await agent.t.db.leads.count()).toBe(LEADS);
});
