import { useState } from 'react';
import type { Lead, LeadInput } from '@shared/model/lead';
import { errorMessage, fieldIssues } from '../lib/errors';
import { userZone } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { Button, ErrorBanner, Field } from '../components/ui';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { toE164, zoneFromPhone, zoneFromZip } from '../lib/zone-hints';

const ROLE_LABEL = { buyerAgent: 'Buyer agent', listingAgent: 'Listing agent', lender: 'Lender' } as const;

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
  const session = useApp((s) => s.session);
  const users = session?.users ?? [];
  const [tagsText, setTagsText] = useState((lead?.tags ?? []).join(', '));
  // Until the user picks a zone, the phone's area code or the ZIP code suggests one.
  const [zoneTouched, setZoneTouched] = useState(Boolean(lead));
  const [zoneHint, setZoneHint] = useState<string | null>(null);
  const suggestZone = (zone: string | null, from: string) => {
    if (!zone) return;
    setZoneHint(`Suggested from the ${from}`);
    if (!zoneTouched) set({ timeZone: zone });
  };
  const events = Object.entries(form.eventDates ?? {});
  const setEvents = (list: [string, string][]) => set({ eventDates: Object.fromEntries(list) });

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const fields: LeadInput = {
        ...form,
        phone: form.phone ? toE164(form.phone) : '',
        tags: [
          ...new Set(
            tagsText
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          ),
        ],
        eventDates: Object.fromEntries(Object.entries(form.eventDates ?? {}).filter(([name]) => name.trim())),
      };
      const saved = lead ? await client.call('leads.update', { id: lead.id, fields }) : await client.call('leads.create', fields);
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
        <Field label="Phone" hint="US numbers as you like, e.g. (415) 555-0123; others with +country code" error={issues.phone}>
          {(p) => (
            <input
              {...p}
              type="tel"
              value={form.phone}
              onChange={(e) => set({ phone: e.target.value })}
              onBlur={() => {
                if (!form.phone) return;
                const phone = toE164(form.phone);
                set({ phone });
                suggestZone(zoneFromPhone(phone), 'area code');
              }}
            />
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Time zone" hint={zoneHint ?? "Plan messages go out in the lead's local time"} error={issues.timeZone}>
          {(p) => (
            <TimeZoneSelect
              {...p}
              value={form.timeZone}
              onChange={(timeZone) => {
                setZoneTouched(true);
                setZoneHint(null);
                set({ timeZone });
              }}
            />
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Stage" error={issues.stage}>
          {(p) => (
            <select {...p} value={form.stage} onChange={(e) => set({ stage: e.target.value })}>
              {(STAGES.includes(form.stage ?? '') ? STAGES : [form.stage ?? 'New', ...STAGES]).map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Source" hint="Where the lead came from, e.g. Zillow, open house" error={issues.source}>
          {(p) => <input {...p} value={form.source} onChange={(e) => set({ source: e.target.value })} />}
        </Field>
      </div>
      <Field label="Tags" hint="Separated by commas, e.g. buyer, pre-approved" error={issues.tags}>
        {(p) => <input {...p} value={tagsText} onChange={(e) => setTagsText(e.target.value)} />}
      </Field>
      <div className="form-row">
        {(['buyerAgent', 'listingAgent', 'lender'] as const).map((role) => (
          <Field key={role} label={ROLE_LABEL[role]} error={issues[`assignees.${role}`]}>
            {(p) => (
              <select
                {...p}
                value={form.assignees?.[role] ?? ''}
                onChange={(e) => {
                  const assignees = { ...form.assignees };
                  if (e.target.value) assignees[role] = e.target.value;
                  else delete assignees[role];
                  set({ assignees });
                }}
              >
                <option value="">Nobody</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
      </div>
      <fieldset className="event-dates">
        <legend>Event dates</legend>
        <p className="field-hint">For event plans: steps run before or after these dates, in the lead's time zone.</p>
        {events.map(([name, date], i) => (
          <div key={i} className="inline-form">
            <input
              aria-label={`Event ${i + 1} name`}
              placeholder="e.g. closing, birthday"
              value={name}
              onChange={(e) => setEvents(events.map((ev, j) => (j === i ? [e.target.value, ev[1]] : ev)))}
            />
            <input
              aria-label={`Event ${i + 1} date`}
              type="date"
              value={date}
              onChange={(e) => setEvents(events.map((ev, j) => (j === i ? [ev[0], e.target.value] : ev)))}
            />
            <Button tone="ghost" aria-label={`Remove event ${i + 1}`} onClick={() => setEvents(events.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </div>
        ))}
        {issues.eventDates ? <p className="field-error">{issues.eventDates}</p> : null}
        <Button tone="ghost" onClick={() => setEvents([...events, [events.length ? `event ${events.length + 1}` : 'closing', '']])}>
          + Add event date
        </Button>
      </fieldset>
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
          {(p) => (
            <input
              {...p}
              value={form.zip}
              onChange={(e) => {
                set({ zip: e.target.value });
                suggestZone(zoneFromZip(e.target.value), 'ZIP code');
              }}
            />
          )}
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
