import { useState } from 'react';
import type { LeadFilter, LeadSortField, SavedView } from '@shared/contract/lead-workspace';
import { errorMessage } from '../../lib/errors';
import { useApp, useClient } from '../../lib/store';
import { useEngineQuery } from '../../lib/use-engine';

/** Named filter + sort combinations, per user. */
export function SavedViews({
  filter,
  sort,
  dir,
  onApply,
}: {
  filter: LeadFilter;
  sort: LeadSortField;
  dir: 'asc' | 'desc';
  onApply: (v: SavedView) => void;
}) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const views = useEngineQuery('leads.views', {}, ['settings']);
  const [current, setCurrent] = useState('');
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');

  const save = async () => {
    try {
      await client.call('leads.saveView', { name, filter, sort, dir });
      setCurrent(name.trim());
      setNaming(false);
      setName('');
      toast(`View “${name.trim()}” saved`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  return (
    <div className="saved-views">
      <select
        aria-label="Saved views"
        value={current}
        onChange={(e) => {
          setCurrent(e.target.value);
          const v = views.data?.find((x) => x.name === e.target.value);
          if (v) onApply(v);
        }}
      >
        <option value="">{views.data?.length ? 'Saved views…' : 'No saved views'}</option>
        {views.data?.map((v) => (
          <option key={v.name} value={v.name}>
            {v.name}
          </option>
        ))}
      </select>
      {naming ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input aria-label="View name" placeholder="View name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          <button type="submit" className="btn btn-primary">
            Save
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="btn btn-secondary" onClick={() => setNaming(true)}>
          Save view
        </button>
      )}
      {current && !naming ? (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() =>
            void client.call('leads.deleteView', { name: current }).then(() => {
              toast(`View “${current}” deleted`);
              setCurrent('');
            })
          }
        >
          Delete view
        </button>
      ) : null}
    </div>
  );
}
