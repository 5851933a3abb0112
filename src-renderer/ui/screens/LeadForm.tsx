import { useState } from 'react';
import type { Lead, LeadInput } from '@shared/model/lead';
import { errorMessage, fieldIssues } from '../lib/errors';
import { userZone } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { Button, ErrorBanner, Field } from '../components/ui';
import { TimeZoneSelect } from '../components/TimeZoneSelect';

const STAGES = ['New', 'Attempted contact', 'Nurture', 'Active buyer', 'Active seller', 'Under contract', 'Closed', 'Lost'];

/** Create or edit a lead's profile; the engine validates and the problems show next to each field. */
export function LeadForm({ lead, onDone, onCancel }: { lead?: Lead; onDone: (lead: Lead) => void; onCancel: () => void }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const [form, setForm] = useState<LeadInput>({
    firstName: lead?.firstName ?? '',
    lastName: lead?.lastName ?? '',
    email: lead?.email ?? '',
    phone: lead?.phone ?? '',
    timeZone: lead?.timeZone ?? userZone(),
    stage: lead?.stage ?? 'New',
    source: lead?.source ?? '',
    tags: lead?.tags ?? [],
    assignees: lead?.assignees ?? {},
    eventDates: lead?.eventDates ?? {},
    price: lead?.price,
    city: lead?.city ?? '',
    zip: lead?.zip ?? '',
  });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<LeadInput>) => setForm((f) => ({ ...f, ...patch }));

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const saved = lead ? await client.call('leads.update', { id: lead.id, fields: form }) : await client.call('leads.create', form);
      toast(lead ? 'Lead saved' : `Lead ${saved.firstName} created`, 'success');
      onDone(saved);
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="form"
      aria-label={lead ? 'Edit lead' : 'New lead'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ErrorBanner message={error} />
      <div className="form-row">
        <Field label="First name" error={issues.firstName}>
          {(p) => <input {...p} value={form.firstName} autoFocus onChange={(e) => set({ firstName: e.target.value })} />}
        </Field>
        <Field label="Last name" error={issues.lastName}>
          {(p) => <input {...p} value={form.lastName} onChange={(e) => set({ lastName: e.target.value })} />}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Email" error={issues.email}>
          {(p) => <input {...p} type="email" value={form.email} onChange={(e) => set({ email: e.target.value })} />}
        </Field>
        <Field label="Phone" hint="International form, e.g. +14155550123" error={issues.phone}>
          {(p) => <input {...p} type="tel" value={form.phone} onChange={(e) => set({ phone: e.target.value })} />}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Time zone" hint="Plan messages go out in the lead's local time" error={issues.timeZone}>
          {(p) => <TimeZoneSelect {...p} value={form.timeZone} onChange={(timeZone) => set({ timeZone })} />}
        </Field>
        <Field label="Stage" error={issues.stage}>
          {(p) => (
            <select {...p} value={form.stage} onChange={(e) => set({ stage: e.target.value })}>
              {STAGES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Source" hint="Where the lead came from, e.g. Zillow, open house" error={issues.source}>
        {(p) => <input {...p} value={form.source} onChange={(e) => set({ source: e.target.value })} />}
      </Field>
      <div className="form-row">
        <Field label="Price" hint="Budget or list price; routing rules can match on it" error={issues.price}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              value={form.price ?? ''}
              onChange={(e) => set({ price: e.target.value === '' ? undefined : Number(e.target.value) })}
            />
          )}
        </Field>
        <Field label="City" error={issues.city}>
          {(p) => <input {...p} value={form.city} onChange={(e) => set({ city: e.target.value })} />}
        </Field>
        <Field label="Zip" error={issues.zip}>
          {(p) => <input {...p} value={form.zip} onChange={(e) => set({ zip: e.target.value })} />}
        </Field>
      </div>
      <div className="form-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={saving}>
          {saving ? 'Saving…' : lead ? 'Save lead' : 'Create lead'}
        </Button>
      </div>
    </form>
  );
}
