import Dexie from 'dexie';
import type { DBCore, Middleware } from 'dexie';
import { HERE } from '@shared/model/enrollment';

/** New enrollments of a transaction that wait for something before they run here (the team's daily count). */
export interface EnrollmentHold {
  runner: string;
  /** The enrollments this transaction created under the hold. */
  ids: string[];
}
const holds = new WeakMap<object, EnrollmentHold>();

/**
 * Every enrollment the current Dexie transaction creates gets `runner` instead of "here", so no
 * scheduler runs it until the runner is set back (sync/team-quota.ts). Call inside the transaction.
 */
export function holdNewEnrollments(runner: string): EnrollmentHold {
  const trans = (Dexie.currentTransaction as unknown as { idbtrans?: object } | null)?.idbtrans;
  if (!trans) throw new Error('holdNewEnrollments: call it inside the transaction that writes the enrollments');
  const hold: EnrollmentHold = { runner, ids: [] };
  holds.set(trans, hold);
  return hold;
}

/**
 * Every enrollment row names the computer that runs its steps (`runner`, docs/design.md §9), and the
 * scheduler reads due work through [runner+state+nextDueAt], so a row without one would never run.
 * Writers that build a new enrollment leave it out; this fills in "here" (this computer) on the way
 * to the store, without a read (a Dexie hook would read the row first on every put).
 */
export const enrollmentRunner: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'enrollmentRunner',
  level: 2,
  create: (core) => ({
    ...core,
    table: (name) => {
      const table = core.table(name);
      if (name !== 'enrollments') return table;
      return {
        ...table,
        mutate: (req) => {
          if (req.type === 'add' || req.type === 'put') {
            const hold = holds.get(req.trans);
            for (const value of req.values as { id: string; runner?: string }[]) {
              if (value.runner !== undefined) continue;
              if (hold) hold.ids.push(value.id);
              value.runner = hold?.runner ?? HERE;
            }
          }
          return table.mutate(req);
        },
      };
    },
  }),
};
