import { useState } from 'react';
import type { SmsLimits } from '@shared/model/send-limits';
import { errorMessage, fieldIssues } from '../lib/errors';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';
import { Button, Card, ErrorBanner, Field } from './ui';

type Draft = { perSecond: string; perDay: string };

const toDraft = (l: SmsLimits): Draft => ({ perSecond: String(l.perSecond), perDay: l.perDay === null ? '' : String(l.perDay) });

/** How fast texts leave through the SMS gateway (issue 11): carriers filter long codes that send faster. */
export function SmsPaceCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const saved = useEngineQuery('settings.smsLimits.get', {}, ['settings']);
  const [edited, setEdited] = useState<Draft | null>(null);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const draft = edited ?? (saved.data ? toDraft(saved.data) : null);
  if (!draft) return null;

  async function save(d: Draft) {
    try {
      await client.call('settings.smsLimits.save', {
        perSecond: Number(d.perSecond),
        perDay: d.perDay.trim() === '' ? null : Number(d.perDay),
      });
      setEdited(null);
      setIssues({});
      setError(null);
      toast('Text message pace saved', 'success');
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(errorMessage(err));
    }
  }

  return (
    <Card title="Text message pace">
      <p className="muted">Texts leave the SMS gateway no faster than this; a backlog is spread out instead of sent in a burst.</p>
      <ErrorBanner message={error} />
      <form
        className="form"
        aria-label="Text message pace"
        onSubmit={(e) => {
          e.preventDefault();
          void save(draft);
        }}
      >
        <div className="form-row form-row-3">
          <Field label="Texts per second" hint="One a second is the usual rate for a local number." error={issues.perSecond}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                value={draft.perSecond}
                onChange={(e) => setEdited({ ...draft, perSecond: e.target.value })}
              />
            )}
          </Field>
          <Field label="Texts per 24 hours" hint="Leave empty when your gateway sets no daily limit." error={issues.perDay}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                placeholder="No limit"
                value={draft.perDay}
                onChange={(e) => setEdited({ ...draft, perDay: e.target.value })}
              />
            )}
          </Field>
        </div>
        <div className="form-actions">
          <Button tone="primary" type="submit" disabled={edited === null}>
            Save text pace
          </Button>
        </div>
      </form>
    </Card>
  );
}
