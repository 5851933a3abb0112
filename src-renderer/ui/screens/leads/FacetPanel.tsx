import { useState } from 'react';
import type { FacetName, LeadFacets, LeadFilter } from '@shared/contract/lead-workspace';
import { facetNames } from '@shared/contract/lead-workspace';

const TITLES: Record<FacetName, string> = {
  stages: 'Stage',
  tags: 'Tag',
  sources: 'Source',
  assignees: 'Assignee',
  plans: 'Plan',
  states: 'Enrollment',
};

const SHOWN = 6;
const count = new Intl.NumberFormat('en-US');

/** Checkbox filters with counts from the engine; each facet's counts respect the other filters. */
export function FacetPanel({
  facets,
  filter,
  onChange,
}: {
  facets: LeadFacets | undefined;
  filter: LeadFilter;
  onChange: (f: LeadFilter) => void;
}) {
  const [expanded, setExpanded] = useState<Partial<Record<FacetName, boolean>>>({});
  const active = facetNames.some((f) => filter[f].length > 0);
  return (
    <aside className="facets" aria-label="Filters">
      <div className="facets-head">
        <h2>Filters</h2>
        {active ? (
          <button
            type="button"
            className="link-button"
            onClick={() => onChange({ ...filter, ...Object.fromEntries(facetNames.map((f) => [f, []])) })}
          >
            Clear all
          </button>
        ) : null}
      </div>
      {!facets ? <p className="muted small">Counting…</p> : null}
      {facets
        ? facetNames.map((name) => {
            const values = facets[name];
            if (values.length === 0) return null;
            const shown = expanded[name] ? values : values.slice(0, SHOWN);
            return (
              <fieldset key={name} className="facet">
                <legend>{TITLES[name]}</legend>
                {shown.map((v) => {
                  const checked = filter[name].includes(v.value);
                  return (
                    <label key={v.value} className="facet-option">
                      <input
                        type="checkbox"
                        checked={checked}
                        onChange={() =>
                          onChange({ ...filter, [name]: checked ? filter[name].filter((x) => x !== v.value) : [...filter[name], v.value] })
                        }
                      />
                      <span className="facet-label">{v.label || (v.value === '' ? '(none)' : v.value)}</span>
                      <span className="facet-count">{count.format(v.count)}</span>
                    </label>
                  );
                })}
                {values.length > SHOWN ? (
                  <button type="button" className="link-button small" onClick={() => setExpanded({ ...expanded, [name]: !expanded[name] })}>
                    {expanded[name] ? 'Show fewer' : `Show all ${values.length}`}
                  </button>
                ) : null}
              </fieldset>
            );
          })
        : null}
    </aside>
  );
}
