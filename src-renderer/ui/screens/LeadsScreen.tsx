import { useState } from 'react';
import { leadDisplayName } from '@shared/model/lead';
import { Button, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { formatDateTime, plural } from '../lib/format';
import { useApp } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import { LeadForm } from './LeadForm';
import { ExportLeadsButton } from './exchange/ExportLeadsButton';

export function LeadsScreen() {
  const navigate = useApp((s) => s.navigate);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const leads = useEngineQuery('leads.list', { search, offset: 0, limit: 200 }, ['leads']);
  const total = leads.data?.total ?? 0;

  return (
    <div className="page">
      <PageHeader
        title="Leads"
        subtitle={leads.data ? plural(total, 'lead') : ' '}
        actions={
          <Button tone="primary" onClick={() => setCreating(true)} aria-keyshortcuts="n">
            New lead
          </Button>
        }
      />
      {creating ? (
        <div className="card">
          <h2>New lead</h2>
          <LeadForm
            onCancel={() => setCreating(false)}
            onDone={(lead) => {
              setCreating(false);
              navigate({ screen: 'lead', id: lead.id });
            }}
          />
        </div>
      ) : null}
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder="Search name, email or phone"
          aria-label="Search leads"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <ExportLeadsButton search={search} />
      </div>
      <ErrorBanner message={leads.error} />
      {leads.data && leads.data.rows.length === 0 ? (
        search ? (
          <EmptyState title={`No lead matches “${search}”`}>Try part of a name, an email or the last digits of a phone number.</EmptyState>
        ) : (
          <EmptyState
            title="No leads yet"
            action={
              <Button tone="primary" onClick={() => setCreating(true)}>
                Add your first lead
              </Button>
            }
          >
            Add a lead, then enroll them in an action plan to start the follow-up.
          </EmptyState>
        )
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Phone</th>
              <th scope="col">Stage</th>
              <th scope="col">Source</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {leads.data?.rows.map((lead) => (
              <tr key={lead.id} className="row-link" onClick={() => navigate({ screen: 'lead', id: lead.id })}>
                <td>
                  <a
                    href={`#lead-${lead.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ screen: 'lead', id: lead.id });
                    }}
                  >
                    {leadDisplayName(lead)}
                  </a>
                </td>
                <td>{lead.email ?? '—'}</td>
                <td>{lead.phone ?? '—'}</td>
                <td>{lead.stage}</td>
                <td>{lead.source || '—'}</td>
                <td>{formatDateTime(lead.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
