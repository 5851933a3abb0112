import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CouchReply, CouchRequest, HostContract } from '@shared/contract/host';
import type { TeamServerStatus } from '@shared/contract/sync';
import type { LeadId } from '@shared/model/ids';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';
import { teamDatabases } from '@shared/sync/server';
import type { CouchServer } from '../../support/couch-server';
import { startCouch } from '../../support/couch-server';
import { startTestSmtp } from '../main/smtp-test-server';
import type { TestSmtp } from '../main/smtp-test-server';
import { aLead, MINUTE } from './harness';
import type { Computer, Team } from './team-harness';
import { edit, settle, teamOnServer } from './team-harness';

let couch: CouchServer;
let smtp: TestSmtp;

// Each sync round is a few HTTP exchanges per database with a real server: these stories take seconds.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  [couch, smtp] = await Promise.all([startCouch(), startTestSmtp()]);
}, 60_000);

afterAll(async () => {
  await smtp?.close();
  await couch?.stop();
});

// ---- the server as its administrator sees it ----

const adminAuth = () => `Basic ${Buffer.from(`${couch.admin.user}:${couch.admin.password}`).toString('base64')}`;

async function asAdmin<T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<{ status: number; json: T }> {
  const res = await fetch(`${couch.url}/${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', authorization: adminAuth(), ...init.headers },
  });
  return { status: res.status, json: (await res.json()) as T };
}

const docPath = (db: string, id: string) => `${db}/${encodeURIComponent(id)}`;

/** Writes a document as the server administrator (past every validation): as a broken or foreign client would. */
async function adminPut(db: string, doc: Record<string, unknown>): Promise<void> {
  const { status, json } = await asAdmin(docPath(db, String(doc._id)), { method: 'PUT', body: JSON.stringify(doc) });
  expect(status, JSON.stringify(json)).toBe(201);
}

// ---- a computer's line to the team server, with faults on demand ----

type CouchFault = (req: CouchRequest, real: (req: CouchRequest) => Promise<CouchReply>) => Promise<CouchReply>;

/**
 * Puts a fault between one computer and the team server: while set, each of its `couch.request`
 * calls goes through `fault` (which may call the real host). The harness's own `net.offline`
 * wrapper calls `host.call` on every request, so replacing it here reaches every exchange.
 */
function lineOf(c: Computer): { fault: CouchFault | null; requests: number } {
  const line = { fault: null as CouchFault | null, requests: 0 };
  const real = c.host.call.bind(c.host);
  const realCouch = (req: CouchRequest) => real('couch.request', req);
  c.host.call = <K extends keyof HostContract>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>> => {
    if (method !== 'couch.request' || !line.fault) return real(method, params);
    line.requests++;
    return line.fault(params as CouchRequest, realCouch) as Promise<ResultOf<HostContract[K]>>;
  };
  return line;
}

/** A CouchDB that fails inside: every request answered 500 in CouchDB's own error format. */
const answers500: CouchFault = () =>
  Promise.resolve({
    status: 500,
    body: JSON.stringify({ error: 'internal_server_error', reason: 'The database could not be opened: disk full' }),
    contentType: 'application/json',
  });

/** A hotel or café network's sign-in page: every request answered 200 with HTML. */
const captivePortal: CouchFault = () =>
  Promise.resolve({
    status: 200,
    body: '<!DOCTYPE html><html><head><title>Welcome to Airport Wi-Fi</title></head><body><form>Accept the terms</form></body></html>',
    contentType: 'text/html; charset=utf-8',
  });

/** The same request sent somewhere else (a closed port, a server that never answers), through the real host. */
const sentTo =
  (url: string, timeoutMs?: number): CouchFault =>
  (req, real) =>
    real({ ...req, url: req.url.replace(couch.url, url), ...(timeoutMs ? { timeoutMs } : {}) });

async function closedPort(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((ok) => srv.close(() => ok()));
  return `http://127.0.0.1:${port}`;
}

/** Accepts connections and never says a word. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(srv.address() as { port: number }).port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => srv.close(() => ok()));
    },
  };
}

// ---- the app as a user drives it ----

const profile = async (c: Computer, id: LeadId) => {
  const row = await c.t.db.leads.get(id);
  return row && { firstName: row.firstName, email: row.email, phone: row.phone, city: row.city, tags: [...row.tags].sort() };
};

const problemOf = (status: TeamServerStatus, docId: string) => status.problems.find((p) => p.docId === docId);

/** Rounds on one computer until it reports synced (the server's own replications run in between). */
async function syncedOn(c: Computer, rounds = 6): Promise<TeamServerStatus> {
  let status = await c.sync();
  for (let i = 1; i < rounds && status.state !== 'synced'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    status = await c.sync();
  }
  return status;
}

describe('documents from the server that this app cannot use', () => {
  let team: Team;
  let agent: Computer;

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    agent = await team.join('agent');
  }, 60_000);
  afterAll(() => team?.close());

  it('a malformed document from the server is reported and nothing local is lost', async () => {
    const { people } = team;
    const dbs = teamDatabases(team.teamId);
    const own = dbs.user(people.agent.id);
    const onAgent = { assignees: { buyerAgent: people.agent.id } };
    const nora = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Nora', email: 'nora@example.com', phone: '+14155550101' }),
      ...onAgent,
    });
    const owen = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Owen', email: 'owen@example.com', phone: '+14155550102' }),
      ...onAgent,
    });
    await settle(team.manager, agent);
    const before = { nora: await profile(agent, nora.id), owen: await profile(agent, owen.id) };
    expect(before.nora?.firstName).toBe('Nora');
    const leadCount = await agent.t.db.leads.count();

    // Broken revisions of leads the agent holds, written on the server over the good ones.
    const current = async (id: string) => (await asAdmin(docPath(own, id))).json;
    const noraDoc = await current(`lead:${nora.id}`);
    const { row: _dropped, ...rowless } = noraDoc;
    await adminPut(own, rowless);
    await adminPut(own, { ...(await current(`lead:${owen.id}`)), v: 99 });
    // And new documents in the team database: an unknown kind, a newer version, one without its row.
    const m = { at: Date.now(), device: 'd-foreign', user: people.manager.id };
    await adminPut(dbs.team, { _id: 'widget:w1', kind: 'widget', v: 1, row: { id: 'w1' }, m });
    await adminPut(dbs.team, { _id: 'template:future', kind: 'template', v: 99, row: { id: 'future', name: 'From the future' }, m });
    await adminPut(dbs.team, { _id: 'plan:rowless', kind: 'plan', v: 1, m });

    // Next to them, good changes made by the manager.
    const pia = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Pia', email: 'pia@example.com' }),
      ...onAgent,
    });
    const plan = await team.manager.call('plans.create', {
      name: 'Arrives fine',
      scope: { kind: 'account' },
      status: 'ready',
      steps: [{ id: 'n1', kind: 'addNote', note: 'hi', timing: { kind: 'immediate' } }] as never,
    });
    await settle(team.manager, agent);
    const status = await agent.sync();

    // Each unusable document is named, with why in words.
    expect(problemOf(status, `lead:${nora.id}`)?.reason).toMatch(/^not used: row: .*expected (record|object)/i);
    expect(problemOf(status, `lead:${owen.id}`)?.reason).toBe(
      'not used: it was written by a newer version of Action Plans: update this app',
    );
    expect(problemOf(status, 'widget:w1')?.reason).toMatch(/^not used: kind: /);
    expect(problemOf(status, 'template:future')?.reason).toMatch(/newer version of Action Plans/);
    expect(problemOf(status, 'plan:rowless')?.reason).toMatch(/^not used: row: /);
    // The good changes arrived; what the agent had is as it was.
    expect((await agent.t.db.leads.get(pia.id))?.firstName).toBe('Pia');
    expect((await agent.t.db.plans.get(plan.id))?.name).toBe('Arrives fine');
    expect(await profile(agent, nora.id)).toEqual(before.nora);
    expect(await profile(agent, owen.id)).toEqual(before.owen);
    expect(await agent.t.db.leads.count()).toBe(leadCount + 1);
    expect(await agent.t.db.templates.get('future')).toBeUndefined();
    expect(status).toMatchObject({ state: 'synced', waiting: 0 });

    // Not stuck: the next rounds are synced, and this computer's changes reach the team.
    expect(await agent.sync()).toMatchObject({ state: 'synced', waiting: 0 });
    await agent.t.advance(MINUTE);
    await edit(agent, pia.id, { phone: '+14155550201' });
    await settle(agent, team.manager);
    const after = await agent.sync();
    expect(after, after.message).toMatchObject({ state: 'synced', waiting: 0 });
    expect((await team.manager.t.db.leads.get(pia.id))?.phone).toBe('+14155550201');
    expect((await team.manager.sync()).state).toBe('synced');
  });

  /**
   * A lead whose copy on the server was replaced by something broken: the computer keeps its own
   * good copy, reports the broken one, and its other changes go out instead of everything stuck.
   */
  async function editOverBrokenCopy(name: string, broken: (current: Record<string, unknown>) => Record<string, unknown>, reason: RegExp) {
    const { people } = team;
    const own = teamDatabases(team.teamId).user(people.agent.id);
    const onAgent = { assignees: { buyerAgent: people.agent.id } };
    // A computer of its own, so one story's stuck journal cannot fail the other.
    const laptop = await team.join('agent');
    const lead = await team.manager.call('leads.create', {
      ...aLead({ firstName: name, email: `${name.toLowerCase()}@example.com`, phone: '+14155550110' }),
      ...onAgent,
    });
    const other = await team.manager.call('leads.create', {
      ...aLead({ firstName: `${name}-other`, email: 'other@example.com' }),
      ...onAgent,
    });
    await settle(team.manager, laptop);
    const before = await profile(laptop, lead.id);
    expect(before?.firstName).toBe(name);
    await adminPut(own, broken((await asAdmin(docPath(own, `lead:${lead.id}`))).json));
    const status = await syncedOn(laptop);
    expect(problemOf(status, `lead:${lead.id}`)?.reason).toMatch(reason);
    expect(await profile(laptop, lead.id)).toEqual(before);

    await laptop.t.advance(MINUTE);
    await edit(laptop, lead.id, { phone: '+14155550210' });
    await edit(laptop, other.id, { phone: '+14155550211' });
    await settle(laptop, team.manager);
    const after = await laptop.sync();
    expect(after, after.message).toMatchObject({ state: 'synced', waiting: 0 });
    // The server cannot tell who works a lead from a broken copy, so it keeps an agent's write over
    // it out (a manager's goes through): said in its words; the edit stays here; nothing else waits.
    expect(problemOf(after, `lead:${lead.id}`)?.reason).toBe('the server refused it: Only managers can change who works a lead.');
    expect((await profile(laptop, lead.id))?.phone).toBe('+14155550210');
    expect((await team.manager.t.db.leads.get(lead.id))?.firstName).toBe(name);
    expect((await team.manager.t.db.leads.get(other.id))?.phone).toBe('+14155550211');
  }

  // The mirror's copy is read with readSyncDoc before it is written over: a foreign revision never
  // stops this computer's other changes.
  it('a lead whose server copy is not an Action Plans document at all is reported, the edit made here stays, and the computer’s other changes reach the team', () =>
    editOverBrokenCopy('Quinn', (doc) => ({ _id: doc._id, _rev: doc._rev, kind: 'lead', hello: 'world' }), /^not used: v: /));

  // The server's own validation reads a rowless old revision without throwing, so the push of that
  // database is not refused as a whole.
  it('a lead whose server copy lost its row is reported, the edit made here stays, and the computer’s other changes reach the team', () =>
    editOverBrokenCopy(
      'Nora',
      (doc) => {
        const { row: _row, ...rowless } = doc;
        return rowless;
      },
      /^not used: row: /,
    ));
});

describe('a team server that answers badly, or not at all', () => {
  let team: Team;
  let agent: Computer;
  let line: ReturnType<typeof lineOf>;
  let lead: { id: LeadId };

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    agent = await team.join('agent');
    line = lineOf(agent);
    lead = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Ruth', email: 'ruth@example.com', phone: '+14155550300' }),
      assignees: { buyerAgent: team.people.agent.id },
    });
    await settle(team.manager, agent);
  }, 60_000);
  afterAll(() => team?.close());

  /** An edit made while the server fails, kept here, and delivered once it answers again. */
  async function editThrough(fault: CouchFault, phone: string, expectOffline: (s: TeamServerStatus) => void) {
    try {
      line.fault = fault;
      line.requests = 0;
      expect((await agent.sync()).state).toBe('offline');
      await agent.t.advance(MINUTE);
      await edit(agent, lead.id, { phone });
      await agent.sync();
      const status = await agent.sync();
      expect(line.requests).toBeGreaterThan(0);
      expect(status.state).toBe('offline');
      expect(status.offlineSince).not.toBeNull();
      // The lead and its history line ("phone changed").
      expect(status.waiting).toBe(2);
      expect(status.message).toMatch(/^Offline since \d\d:\d\d: 2 changes wait here and go out when the server is back\. \S/);
      expectOffline(status);
      // Nothing lost here meanwhile, nothing reached the team.
      expect((await agent.t.db.leads.get(lead.id))?.phone).toBe(phone);
      await team.manager.sync();
      expect((await team.manager.t.db.leads.get(lead.id))?.phone).not.toBe(phone);
    } finally {
      line.fault = null;
    }
    const back = await syncedOn(agent);
    expect(back).toMatchObject({ state: 'synced', waiting: 0, offlineSince: null });
    expect(back.message).toMatch(/^Synced at \d\d:\d\d$/);
    await settle(agent, team.manager);
    expect((await team.manager.t.db.leads.get(lead.id))?.phone).toBe(phone);
    expect((await agent.t.db.leads.get(lead.id))?.phone).toBe(phone);
  }

  it('a server that answers 500 leaves changes waiting and says so', async () => {
    await editThrough(answers500, '+14155550301', (status) => {
      expect(status.message).toMatch(/500|internal_server_error|could not be opened: disk full/);
    });
  });

  it('a server that refuses the connection: offline since then, the change waits', async () => {
    const url = await closedPort();
    await editThrough(sentTo(url), '+14155550302', (status) => {
      expect(status.message).toMatch(/connection refused/);
    });
  });

  it('a server that does not answer: offline after the timeout, the change waits', async () => {
    const silent = await silentServer();
    try {
      await editThrough(sentTo(silent.url, 500), '+14155550303', (status) => {
        expect(status.message).toMatch(/No answer from 127\.0\.0\.1:\d+ within 0\.5 s/);
      });
    } finally {
      await silent.close();
    }
  });

  it('a server answering something that is not CouchDB JSON (a Wi-Fi sign-in page) says so; the change waits', async () => {
    await editThrough(captivePortal, '+14155550304', (status) => {
      expect(status.message).toMatch(/answered 200 with a web page, not CouchDB's JSON: is this the team server's address/);
      expect(status.message).toMatch(/sign in first/);
      expect(status.message).not.toMatch(/Unexpected token|JSON\.parse|is not valid JSON/);
    });
  });
});

describe('a revision conflict storm', () => {
  let team: Team;
  let agent: Computer;

  beforeAll(async () => {
    team = await teamOnServer(couch, smtp.port);
    agent = await team.join('agent');
  }, 60_000);
  afterAll(() => team?.close());

  it('a revision conflict storm settles on one documented result', async () => {
    const { people } = team;
    const dbs = teamDatabases(team.teamId);
    const lead = await team.manager.call('leads.create', {
      ...aLead({ firstName: 'Sam', email: 'sam@example.com', phone: '+14155550400', city: 'Boston' }),
      tags: ['old', 'keep'],
      assignees: { buyerAgent: people.agent.id },
    });
    await settle(team.manager, agent);
    const id = `lead:${lead.id}`;
    type StoredLead = {
      _rev: string;
      _revisions: { start: number; ids: string[] };
      m: { at: number };
      row: Record<string, unknown>;
      clock: Record<string, [number, string]>;
    } & Record<string, unknown>;
    const base = (await asAdmin<StoredLead>(`${docPath(dbs.leads, id)}?revs=true`)).json;
    const { _revisions: revisions, ...parent } = base;
    const clock = parent.clock;

    // 24 revisions written over the same parent on 24 computers (as replication would bring them):
    // each its own phone (later stamp for a higher n), city (later for a lower n) and tag.
    const N = 24;
    const t0 = base.m.at;
    const leaves = Array.from({ length: N }, (_, n) => {
      const device = `dstorm${String(n).padStart(2, '0')}`;
      const at = t0 + (n + 1) * 1000;
      const tags = ['keep', `t${n}`, ...(n === 5 ? [] : ['old'])];
      const hash = (n + 1).toString(16).padStart(32, 'a');
      return {
        ...parent,
        _rev: `${revisions.start + 1}-${hash}`,
        _revisions: { start: revisions.start + 1, ids: [hash, ...revisions.ids] },
        row: { ...base.row, phone: `+141555505${String(n).padStart(2, '0')}`, city: `City ${n}`, tags },
        m: { at, device, user: n % 2 ? people.agent.id : people.manager.id, base: t0 },
        clock: {
          ...clock,
          phone: [at, device],
          city: [t0 + (N - n) * 1000 + 500, device],
          [`tag:t${n}`]: [at, device],
          // One of them removed "old", later than anyone else touched it.
          ...(n === 5 ? { 'tag:old': [t0 + 100 * 1000, device] } : {}),
        },
      };
    });
    const written = await asAdmin<unknown[]>(`${dbs.leads}/_bulk_docs`, {
      method: 'POST',
      body: JSON.stringify({ docs: leaves, new_edits: false }),
    });
    expect(written.status).toBe(201);
    const stormy = (await asAdmin<{ _conflicts?: string[] }>(`${docPath(dbs.leads, id)}?conflicts=true`)).json;
    expect(stormy._conflicts).toHaveLength(N - 1);

    // Both computers settle, in a bounded number of rounds.
    await settle(team.manager, agent);
    await settle(team.manager, agent);
    const expected = {
      firstName: 'Sam',
      email: 'sam@example.com',
      phone: `+141555505${N - 1}`,
      city: 'City 0',
      tags: ['keep', ...Array.from({ length: N }, (_, n) => `t${n}`)].sort(),
    };
    for (const c of [team.manager, agent]) expect(await profile(c, lead.id)).toEqual(expected);
    for (const db of [dbs.leads, dbs.user(people.agent.id)]) {
      const onServer = (await asAdmin<{ _conflicts?: string[]; row: { phone: string } }>(`${docPath(db, id)}?conflicts=true`)).json;
      expect(onServer._conflicts ?? []).toEqual([]);
      expect(onServer.row.phone).toBe(expected.phone);
    }
    // The losing values are in the lead's history, on both computers.
    for (const c of [team.manager, agent]) {
      const lines = (await c.call('leads.history', { leadId: lead.id })).map((h) => h.summary).join('\n');
      expect(lines).toMatch(/phone "\+14155550500" \((Maria Manager|Alex Agent)\) lost to "\+14155550523"/);
      expect(lines).toMatch(/city "City 23" \((Maria Manager|Alex Agent)\) lost to "City 0"/);
    }
    // Settled: more rounds change nothing on the server, and say synced.
    const rev = (await asAdmin<{ _rev: string }>(docPath(dbs.leads, id))).json._rev;
    await settle(team.manager, agent);
    expect((await asAdmin<{ _rev: string }>(docPath(dbs.leads, id))).json._rev).toBe(rev);
    for (const c of [team.manager, agent]) expect(await c.sync()).toMatchObject({ state: 'synced', waiting: 0 });
  });
});
