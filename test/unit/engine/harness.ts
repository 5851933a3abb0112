import type { HostContract, HostTransport } from '@shared/contract/host';
import type { EmailAccountInput } from '@shared/model/email-account';
import type { LeadInput } from '@shared/model/lead';
import type { PlanInput } from '@shared/model/plan';
import type { EmailMessage } from '@shared/model/outbox';
import type { Execution } from '@shared/model/enrollment';
import { AppError } from '@shared/rpc/errors';
import type { ParamsOf, ResultOf } from '@shared/rpc/spec';
import type { Engine } from '../../../src-renderer/engine/app';
import { createEngine } from '../../../src-renderer/engine/app';
import { ManualClock } from '../../../src-renderer/engine/clock';
import { noLock } from '../../../src-renderer/engine/runtime';
import { AppDb } from '../../../src-renderer/engine/store/db';

let dbCounter = 0;

/** A fixed, ordinary instant far from DST changes: Tue 2026-04-14 14:00 UTC (10:00 in New York). */
export const T0 = Date.UTC(2026, 3, 14, 14, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The host seen from the engine's side: records what was sent and can be told to fail.
 * (Tests of the real SMTP adapter use a real smtp-server; see test/unit/main and engine/smtp-flow.)
 */
export class RecordingHost implements HostTransport {
  sent: { message: EmailMessage; idempotencyKey: string }[] = [];
  /** Every email.send call, duplicates included: a key seen twice here was handed to the host twice. */
  calls: string[] = [];
  secrets = new Map<string, string>();
  backups = new Map<string, string>();
  private keys = new Set<string>();
  failWith: AppError | null = null;
  notifications: { title: string; body: string; leadId: string | null }[] = [];
  /** Programmable failures: given how many messages went out so far, an error to answer with, or null. */
  failWhen: ((sentSoFar: number) => AppError | null) | null = null;

  call<K extends keyof HostContract>(method: K, params: ParamsOf<HostContract[K]>): Promise<ResultOf<HostContract[K]>> {
    return Promise.resolve(this.handle(method, params) as ResultOf<HostContract[K]>);
  }

  private handle(method: keyof HostContract, params: unknown): unknown {
    switch (method) {
      case 'host.info':
        return { shell: 'web', version: 'test', testMode: true };
      case 'email.send': {
        const p = params as ParamsOf<HostContract['email.send']>;
        this.calls.push(p.idempotencyKey);
        if (this.failWith) throw this.failWith;
        const failure = this.failWhen?.(this.sent.length);
        if (failure) throw failure;
        if (this.keys.has(p.idempotencyKey)) return { messageId: `<${p.idempotencyKey}>`, response: '250 duplicate', duplicate: true };
        this.keys.add(p.idempotencyKey);
        this.sent.push({ message: p.message, idempotencyKey: p.idempotencyKey });
        return { messageId: `<${p.idempotencyKey}>`, response: '250 2.0.0 Ok: queued', duplicate: false };
      }
      case 'email.verify':
        return { response: '250 OK' };
      case 'secrets.set': {
        const p = params as { name: string; value: string };
        this.secrets.set(p.name, p.value);
        return { name: p.name };
      }
      case 'secrets.delete':
        return { deleted: this.secrets.delete((params as { name: string }).name) };
      case 'clock.offset':
        return { offsetMs: 0 };
      case 'backup.write': {
        const p = params as { name: string; text: string };
        this.backups.set(p.name, p.text);
        return { name: p.name, size: p.text.length, createdAt: 0 };
      }
      case 'backup.list':
        return [...this.backups].map(([name, text]) => ({ name, size: text.length, createdAt: 0 }));
      case 'backup.read':
        return { text: this.backups.get((params as { name: string }).name) ?? '' };
      case 'notify.show':
        this.notifications.push(params as { title: string; body: string; leadId: string | null });
        return { shown: true };
      default:
        throw new AppError('HostUnavailable', `The recording host does not do ${method}; use test/unit/engine/real-host.ts`);
    }
  }
}

export interface TestEngine {
  engine: Engine;
  clock: ManualClock;
  host: RecordingHost;
  db: AppDb;
  call: Engine['call'];
  /** Moves the clock and runs one scheduler pass, as the loop would on waking. */
  advance(ms: number): Promise<void>;
  tick(): Promise<void>;
}

export const anAccount = {
  host: '127.0.0.1',
  port: 2525,
  security: 'none' as const,
  user: '',
  fromName: 'Jane Agent',
  fromEmail: 'jane@example.com',
};

export interface StartOptions {
  host?: HostTransport;
  at?: number;
  emailAccount?: boolean | Partial<EmailAccountInput>;
  /** Open an existing database (a restart, or a second engine on the same data). */
  dbName?: string;
  clock?: ManualClock;
}

export const newDbName = (): string => `test-${process.pid}-${++dbCounter}`;

export async function startEngine(opts: StartOptions = {}): Promise<TestEngine> {
  const clock = opts.clock ?? new ManualClock(opts.at ?? T0);
  const host = (opts.host ?? new RecordingHost()) as RecordingHost;
  const db = new AppDb(opts.dbName ?? newDbName());
  const engine = await createEngine({ db, clock, host, lock: noLock });
  if (opts.emailAccount !== false) {
    await engine.call('settings.emailAccount.save', { ...anAccount, ...(typeof opts.emailAccount === 'object' ? opts.emailAccount : {}) });
  }
  return {
    engine,
    clock,
    host,
    db,
    call: engine.call.bind(engine),
    async advance(ms) {
      clock.advance(ms);
      await engine.scheduler.runOnce();
    },
    tick: () => engine.scheduler.runOnce(),
  };
}

export const aLead = (patch: Partial<LeadInput> = {}): LeadInput => ({
  firstName: 'Ann',
  lastName: 'Lee',
  email: 'ann@example.com',
  phone: '+14155550123',
  timeZone: 'America/New_York',
  ...patch,
});

let stepCounter = 0;
export const emailStep = (patch: Record<string, unknown> = {}) => ({
  id: `step-${++stepCounter}`,
  kind: 'email' as const,
  subject: 'Hello {{lead.firstName}}',
  body: 'Hi {{lead.firstName}},\n\nWelcome.',
  timing: { kind: 'immediate' as const },
  ...patch,
});

export const aPlan = (ownerUserId: string, patch: Partial<PlanInput> = {}): PlanInput => ({
  name: 'Buyer follow-up',
  scope: { kind: 'personal', ownerUserId: ownerUserId },
  status: 'ready',
  steps: [
    emailStep(),
    emailStep({ subject: 'Checking in, {{lead.firstName}}', timing: { kind: 'after', amount: 2, unit: 'days' } }),
  ] as PlanInput['steps'],
  ...patch,
});

/** Every execution in the store: on its step's history line (store v13 on), and those an earlier version wrote to the executions table. */
export async function executionsIn(db: AppDb): Promise<Execution[]> {
  const lines = await db.history.orderBy('execution.key').toArray();
  return [...lines.flatMap((l) => (l.execution ? [l.execution] : [])), ...(await db.executions.toArray())];
}

export async function currentUserId(t: TestEngine): Promise<string> {
  return (await t.call('session.get', {})).currentUser.id;
}

export const deliveryError = (deliveryCode: string, retryable: boolean, response = '') =>
  new AppError('DeliveryFailed', `Delivery failed (${deliveryCode})`, { deliveryCode, retryable, response });
