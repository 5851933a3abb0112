import type { tasksContract } from '@shared/contract/tasks';
import type { Task } from '@shared/model/task';
import { describeMessage } from '@shared/model/outbox';
import { conflict, notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { releaseWaiting } from '../enrollments/waiting';
import { touchWrittenLeads } from '../leads/touch';
import { record, userActor } from '../history/history';

export type NewTask = Omit<Task, 'id' | 'status' | 'createdAt' | 'completedAt'>;

/** Creates a task; call inside the transaction of whatever caused it (a plan step, a user action). */
export async function createTask(deps: EngineDeps, input: NewTask): Promise<Task> {
  const task: Task = { ...input, id: deps.newId(), status: 'open', createdAt: deps.clock.now(), completedAt: null };
  await deps.db.tasks.add(task);
  return task;
}

async function getTask(deps: EngineDeps, id: string): Promise<Task> {
  const task = await deps.db.tasks.get(id);
  if (!task) throw notFound('Task', id);
  return task;
}

export function createTasksHandlers(deps: EngineDeps): AreaHandlers<typeof tasksContract> {
  const { db, clock } = deps;
  return {
    async 'tasks.list'({ leadId, until, status }, { user }) {
      const rows = leadId
        ? await db.tasks.where('leadId').equals(leadId).toArray()
        : status === 'open'
          ? await db.tasks
              .where('[assigneeId+status+dueAt]')
              .between([user.id, 'open', -Infinity], [user.id, 'open', until ?? Infinity], true, true)
              .toArray()
          : await db.tasks.filter((t) => t.assigneeId === user.id).toArray();
      return rows.filter((t) => status === 'all' || t.status === status).sort((a, b) => a.dueAt - b.dueAt);
    },

    async 'tasks.create'(input, { user }) {
      return db.transaction('rw', db.tasks, db.history, async () => {
        const task = await createTask(deps, {
          kind: input.kind,
          title: input.title,
          notes: input.notes,
          leadId: input.leadId,
          assigneeId: input.assigneeId ?? user.id,
          dueAt: input.dueAt,
          planId: null,
          enrollmentId: null,
          stepId: null,
          outboxId: null,
        });
        await record(db, deps.newId(), {
          leadId: input.leadId,
          at: clock.now(),
          kind: 'note',
          summary: `Task added: ${task.title}`,
          actor: userActor(user),
        });
        return task;
      });
    },

    async 'tasks.complete'({ id }, { user }) {
      const completed = await db.transaction('rw', [db.tasks, db.history, db.outbox, db.enrollments, db.plans, db.leads], async () => {
        const task = await getTask(deps, id);
        const done: Task = {
          ...task,
          status: 'done',
          completedAt: clock.now(),
          ...(task.outboxId ? { resolution: 'closed' as const } : {}),
        };
        await db.tasks.put(done);
        await record(db, deps.newId(), {
          leadId: task.leadId,
          at: clock.now(),
          kind: 'note',
          summary: `Task done: ${task.title}`,
          actor: userActor(user),
        });
        // Closing a review task without "send now" means the user handled it another way: the
        // waiting message is cancelled (recorded), never left to go out later by surprise.
        const message = task.outboxId ? await db.outbox.get(task.outboxId) : undefined;
        if (message && (message.status === 'held' || message.status === 'queued') && message.attempts === 0) {
          await db.outbox.put({ ...message, status: 'cancelled', nextAttemptAt: null });
          await record(db, deps.newId(), {
            leadId: task.leadId,
            at: clock.now(),
            kind: 'skipped',
            summary: `${describeMessage(message)} not sent: its review task was closed`,
            actor: userActor(user),
            outboxId: message.id,
            planId: message.planId,
            enrollmentId: message.enrollmentId,
            stepId: message.stepId,
          });
        }
        await releaseWaiting(deps, done);
        await touchWrittenLeads(deps);
        return done;
      });
      deps.wake();
      return completed;
    },

    async 'tasks.sendNow'({ id }, { user }) {
      const sent = await db.transaction('rw', [db.tasks, db.history, db.outbox, db.enrollments, db.plans, db.leads], async () => {
        const task = await getTask(deps, id);
        const message = task.outboxId ? await db.outbox.get(task.outboxId) : undefined;
        if (!message && task.outboxId && task.status === 'open' && deps.sync?.signedIn) {
          // The message waits on the team's computer that ran the step (each computer sends its own):
          // the approval travels with the task, and that computer sends it (sync/effects.ts).
          const done: Task = { ...task, status: 'done', completedAt: clock.now(), resolution: 'sendNow' };
          await db.tasks.put(done);
          await record(db, deps.newId(), {
            leadId: task.leadId,
            at: clock.now(),
            kind: 'note',
            summary: `Approved: ${task.title.replace(/^Review and send: /, '')}; it goes out from the computer that runs the plan`,
            actor: userActor(user),
          });
          return done;
        }
        if (!message || task.status !== 'open') throw conflict('This task has no message waiting to be sent.', { taskId: id });
        if (message.status !== 'held' && message.status !== 'queued') {
          throw conflict(`This message is already ${message.status}.`, { taskId: id, status: message.status });
        }
        const now = clock.now();
        // A message the user just reviewed goes before catch-up backlog (issue 11).
        await db.outbox.put({ ...message, status: 'queued', nextAttemptAt: now, priority: 'high' });
        const done: Task = { ...task, status: 'done', completedAt: now, resolution: 'sendNow' };
        await db.tasks.put(done);
        await record(db, deps.newId(), {
          leadId: task.leadId,
          at: now,
          kind: 'queued',
          summary: `${describeMessage(message)} approved and queued`,
          actor: userActor(user),
          outboxId: message.id,
          planId: message.planId,
          enrollmentId: message.enrollmentId,
          stepId: message.stepId,
        });
        await releaseWaiting(deps, done);
        await touchWrittenLeads(deps);
        return done;
      });
      deps.wake();
      return sent;
    },

    async 'tasks.snooze'({ id, until }) {
      const task = await getTask(deps, id);
      const snoozed: Task = { ...task, dueAt: until };
      await db.tasks.put(snoozed);
      return snoozed;
    },
  };
}
