import type { DBCore, Middleware } from 'dexie';
import { HERE } from '@shared/model/enrollment';

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
            for (const value of req.values as { runner?: string }[]) value.runner ??= HERE;
          }
          return table.mutate(req);
        },
      };
    },
  }),
};
