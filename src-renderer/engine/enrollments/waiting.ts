import type { Task } from '@shared/model/task';
import type { EngineDeps } from '../deps';
import { toLead } from '../leads/app';
import { positionFor } from './position';

/**
 * A plan task was closed: an enrollment waiting for it ("wait until the previous task is done")
 * goes on; its next step is due by its own timing, or now if that time has passed.
 */
export async function releaseWaiting(deps: EngineDeps, task: Task): Promise<void> {
  if (!task.enrollmentId) return;
  const { db } = deps;
  const e = await db.enrollments.get(task.enrollmentId);
  if (!e || e.waitingForTaskId !== task.id) return;
  const [plan, row] = await Promise.all([db.plans.get(e.planId), db.leads.get(e.leadId)]);
  const now = deps.clock.now();
  const step = plan?.steps.find((s) => s.id === e.nextStepId);
  const due = e.state === 'active' && plan?.status === 'ready' && row ? positionFor(step, e, toLead(row), now).nextDueAt : null;
  await db.enrollments.put({ ...e, waitingForTaskId: null, nextDueAt: step ? due : e.state === 'active' ? now : null, updatedAt: now });
}
