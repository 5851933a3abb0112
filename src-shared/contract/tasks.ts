import { z } from 'zod';
import { leadId, userId } from '../model/ids';
import type { Task } from '../model/task';
import { method } from '../rpc/spec';

export const taskInputSchema = z.object({
  leadId,
  title: z.string().trim().min(1, 'A task needs a title').max(300),
  notes: z.string().max(10_000).default(''),
  kind: z.enum(['todo', 'call']).default('todo'),
  dueAt: z.number().int(),
  assigneeId: userId.optional(),
});

export const tasksContract = {
  /** Open tasks of the current user due before `until` (today's list), or of one lead. */
  'tasks.list': method<Task[]>()(
    z.object({ leadId: leadId.optional(), until: z.number().int().optional(), status: z.enum(['open', 'done', 'all']).default('open') }),
  ),
  'tasks.create': method<Task>()(taskInputSchema),
  'tasks.complete': method<Task>()(z.object({ id: z.string().min(1) })),
  /** Review tasks: send the waiting message now (it was held, or waiting for its review deadline). */
  'tasks.sendNow': method<Task>()(z.object({ id: z.string().min(1) })),
  'tasks.snooze': method<Task>()(z.object({ id: z.string().min(1), until: z.number().int() })),
};
