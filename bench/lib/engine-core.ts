/**
 * The engine benchmark, shared by the Node (fake-indexeddb) and Chromium (real IndexedDB) runs.
 * Not a test: it prints figures. DESIGN §5 targets: finding due work must not grow with the number
 * of enrollments that are not due; internal steps ≥ 2,000/s in Chromium.
 */
import type { HostTransport } from '@shared/contract/host';
import type { Enrollment } from '@shared/model/enrollment';
import type { EnrollmentId, LeadId, PlanId, StepId, UserId } from '@shared/model/ids';
import { createEngine } from '../../src-renderer/engine/app';
import { OffsetClock } from '../../src-renderer/engine/clock';
import { noLock } from '../../src-renderer/engine/runtime';
import { runDueSteps } from '../../src-renderer/engine/scheduler/scheduler';
import { AppDb } from '../../src-renderer/engine/store/db';
import type { LeadRow } from '../../src-renderer/engine/store/db';
import { enrollmentSummary } from '../../src-renderer/engine/store/lead-derived';
import { enrollmentsOfLead } from '../../src-renderer/engine/store/queries';

export interface BenchSizes {
  leads: number;
  enrollments: number;
  smallNotDue: number;
  dueForThroughput: number;
}

export interface BenchRow {
  measure: string;
  value: string;
}

const T0 = Date.UTC(2026, 3, 14, 14, 0);
const YEAR = 365 * 24 * 3_600_000;

const noHost: HostTransport = {
  call: () => Promise.reject(new Error('the benchmark sends nothing')),
};

function lead(i: number, owner: UserId): LeadRow {
  return {
    id: `lead-${i}` as LeadId,
    firstName: `Lead${i}`,
    lastName: 'Bench',
    email: `lead${i}@example.com`,
    phone: undefined,
    timeZone: 'America/New_York',
    stage: 'New',
    contactType: 'Lead',
    source: i % 3 === 0 ? 'Zillow' : 'Website',
    tags: i % 2 === 0 ? ['buyer'] : [],
    assignees: {},
    eventDates: {},
    optOuts: { email: false, sms: false },
    createdAt: T0,
    updatedAt: T0,
    createdBy: owner,
    searchWords: [`lead${i}`, 'bench'],
  };
}

function enrollment(i: number, planId: PlanId, leadCount: number, dueAt: number, stepId: StepId): Enrollment {
  return {
    id: `enr-${planId}-${i}` as EnrollmentId,
    leadId: `lead-${i % leadCount}` as LeadId,
    planId,
    state: 'active',
    iteration: 1,
    ran: { iteration: 1, stepIds: [] }, // as enrolling writes it
    nextStepId: stepId,
    nextDueAt: dueAt,
    startedAt: T0,
    enteredAt: T0,
    prevStepId: null,
    pausedAt: null,
    engaged: false,
    enrolledBy: { kind: 'system', reason: 'benchmark' },
    exitReason: null,
    updatedAt: T0,
  };
}

async function bulk<T>(rows: T[], put: (chunk: T[]) => Promise<unknown>, chunk = 5_000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await put(rows.slice(i, i + chunk));
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;

/** Median time of `runs` calls, after one warm-up call. */
async function median(runs: number, f: () => Promise<unknown>): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** Counts IndexedDB requests while a measure runs (Chromium only): what a step costs is its round trips. */
export interface RequestCounter {
  start(): void;
  stop(): number;
}

export async function runEngineBench(
  dbName: string,
  sizes: BenchSizes,
  memory: () => string,
  requests?: RequestCounter,
): Promise<{ rows: BenchRow[]; summary: string }> {
  const rows: BenchRow[] = [];
  const db = new AppDb(dbName);
  // The clock runs from T0 in real time, as on a user's machine: each step's "last activity" is new.
  const clock = new OffsetClock();
  clock.setOffset(T0 - Date.now());
  const engine = await createEngine({ db, clock, host: noHost, lock: noLock });
  const owner = (await engine.call('session.get', {})).currentUser.id;
  const stepIds = ['s1', 's2', 's3'] as StepId[];
  const plan = await engine.call('plans.create', {
    name: 'Bench',
    scope: { kind: 'account' },
    status: 'ready',
    steps: [
      { id: stepIds[0]!, kind: 'addTags', tags: ['benched'], timing: { kind: 'immediate' } },
      { id: stepIds[1]!, kind: 'addNote', note: 'Benchmark note for {{lead.firstName}}', timing: { kind: 'immediate' } },
      { id: stepIds[2]!, kind: 'changeStage', stage: 'Nurture', timing: { kind: 'immediate' } },
    ],
  });

  // Raw IndexedDB ceiling: one bulk put of plain lead rows, measured in this same run.
  const leads = Array.from({ length: sizes.leads }, (_, i) => lead(i, owner));
  let t = performance.now();
  await bulk(leads, (c) => db.leads.bulkPut(c));
  const rawPut = sizes.leads / ((performance.now() - t) / 1000);
  rows.push({ measure: `raw IndexedDB bulkPut (${sizes.leads.toLocaleString('en-US')} leads)`, value: rate(rawPut) });

  // (a) Finding due work with few vs many enrollments that are not due.
  const notDue = (from: number, to: number, planId: PlanId) =>
    Array.from({ length: to - from }, (_, k) => enrollment(from + k, planId, sizes.leads, T0 + YEAR + k, stepIds[0]!));
  await bulk(notDue(0, sizes.smallNotDue, plan.id), (c) => db.enrollments.bulkPut(c));
  const findSmall = await median(30, () => runDueSteps(engine.deps, T0));
  t = performance.now();
  await bulk(notDue(sizes.smallNotDue, sizes.enrollments, plan.id), (c) => db.enrollments.bulkPut(c));
  const seedSeconds = (performance.now() - t) / 1000;
  const findLarge = await median(30, () => runDueSteps(engine.deps, T0));
  rows.push({ measure: `find due work, ${sizes.smallNotDue.toLocaleString('en-US')} not due`, value: ms(findSmall) });
  rows.push({ measure: `find due work, ${sizes.enrollments.toLocaleString('en-US')} not due`, value: ms(findLarge) });
  rows.push({ measure: 'seeding enrollments', value: rate((sizes.enrollments - sizes.smallNotDue) / seedSeconds) });

  // (b) Internal steps per second: due enrollments on other leads of a second plan, 3 steps each.
  const second = await engine.call('plans.create', { ...plan, name: 'Bench 2', steps: plan.steps });
  const due = Array.from({ length: sizes.dueForThroughput }, (_, i) => enrollment(i, second.id, sizes.leads, T0, stepIds[0]!));
  await bulk(due, (c) => db.enrollments.bulkPut(c));
  // Those leads as the app keeps them once enrolled through it: each row carries the summary of its
  // enrollments (leads/touch.ts). The seeding above wrote the enrollments straight to the store.
  const dueLeads = [...new Set(due.map((e) => e.leadId))];
  const summarized = await Promise.all(
    dueLeads.map(async (id) => ({ ...(await db.leads.get(id))!, ...enrollmentSummary(await enrollmentsOfLead(db, id).toArray()) })),
  );
  await bulk(summarized, (c) => db.leads.bulkPut(c));
  // Every step must write inside its batch's transaction (DESIGN §5): a step whose writes escaped
  // into transactions of their own (Dexie losing its zone) would show as many more than the batches.
  const core = db.core;
  const openTransaction = core.transaction.bind(core);
  let readWrite = 0;
  core.transaction = (stores, mode, options) => {
    if (mode === 'readwrite') readWrite++;
    return openTransaction(stores, mode, options);
  };
  requests?.start();
  t = performance.now();
  const steps = await runDueSteps(engine.deps, T0);
  const stepRate = steps / ((performance.now() - t) / 1000);
  const requestCount = requests?.stop();
  core.transaction = openTransaction;
  rows.push({ measure: `internal steps executed (${steps.toLocaleString('en-US')})`, value: rate(stepRate) });
  if (requestCount !== undefined) rows.push({ measure: 'IndexedDB requests per step', value: (requestCount / steps).toFixed(1) });
  rows.push({ measure: 'steps vs raw bulkPut ceiling', value: `${((stepRate / rawPut) * 100).toFixed(1)} %` });
  const batches = Math.ceil(sizes.dueForThroughput / 100) + 1;
  rows.push({
    measure: 'read-write transactions for those steps',
    value: `${readWrite} (${readWrite <= batches ? 'one per batch of 100' : `MORE than the ${batches} batches: steps escaped their transaction`})`,
  });

  // (c) Memory after the run.
  rows.push({ measure: 'memory after the run', value: memory() });
  engine.close();

  const growth = findLarge / Math.max(findSmall, 0.001);
  const summary =
    `engine: find-due ${ms(findSmall)} → ${ms(findLarge)} (${growth.toFixed(2)}×) from ${sizes.smallNotDue.toLocaleString('en-US')} to ` +
    `${sizes.enrollments.toLocaleString('en-US')} not-due enrollments; ${rate(stepRate)} internal steps vs ${rate(rawPut)} raw puts`;
  return { rows, summary };
}

export function printTable(title: string, rows: BenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.measure.length));
  console.log(`\n${title}`);
  for (const r of rows) console.log(`  ${r.measure.padEnd(width)}  ${r.value}`);
}
