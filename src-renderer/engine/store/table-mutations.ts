import { RangeSet } from 'dexie';
import type { DBCore, DBCoreTransaction, IndexableType, Middleware } from 'dexie';

type Parts = Record<string, RangeSet>;

/**
 * Stands in for Dexie's Observability middleware: names each table a transaction wrote, as a whole,
 * in the parts Dexie reports on commit (`storagemutated`, here and in other tabs). Why: Dexie's own
 * works out every written key and index key for liveQuery, about a tenth of a scheduler pass (npm
 * run bench), and nothing here uses liveQuery: the engine's listeners (app.ts, write-count.ts,
 * lead-changes.ts) only ask which database and table changed.
 */
export const tableMutations: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'tableMutations',
  level: 0,
  create: (core) => ({
    ...core,
    table: (name) => {
      const table = core.table(name);
      const part = `idb://${core.schema.name}/${name}/`;
      return {
        ...table,
        mutate: (req) =>
          table.mutate(req).then((res) => {
            const trans = req.trans as DBCoreTransaction & { mutatedParts?: Parts };
            const parts = (trans.mutatedParts ??= {});
            parts[part] ??= new RangeSet(core.MIN_KEY as IndexableType, core.MAX_KEY as IndexableType);
            return res;
          }),
      };
    },
  }),
};
