import { useState } from 'react';
import { MERGE_FIELDS } from '@shared/merge-fields';
import type { TemplateInput, TemplateKind } from '@shared/model/template';
import { smsSegments } from '@shared/sms-segments';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Badge, Button, Card, EmptyState, ErrorBanner, Field, PageHeader } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { useApp, useClient } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';

const blank = (kind: TemplateKind): TemplateInput => ({ kind, name: '', subject: '', body: '' });

/** The email and SMS template library, and the current user's email signature. */
export function TemplatesScreen() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const templates = useEngineQuery('templates.list', {}, ['templates']);
  const [draft, setDraft] = useState<TemplateInput | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  async function save() {
    if (!draft) return;
    try {
      const saved = await client.call('templates.save', draft);
      setDraft(saved);
      setError(null);
      toast(`Template “${saved.name}” saved`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  async function remove() {
    setConfirmDelete(false);
    if (!draft?.id) return;
    await client.call('templates.delete', { id: draft.id });
    toast(`Template “${draft.name}” deleted`, 'success');
    setDraft(null);
  }

  const list = templates.data ?? [];
  const sms = draft?.kind === 'sms' ? smsSegments(draft.body) : null;
  return (
    <div className="page page-wide">
      <PageHeader
        title="Templates"
        subtitle="Reusable emails and texts. Picking one in a plan step copies its text into the step."
        actions={
          <>
            <Button onClick={() => setDraft(blank('sms'))}>New text template</Button>
            <Button tone="primary" onClick={() => setDraft(blank('email'))}>
              New email template
            </Button>
          </>
        }
      />
      <div className="split">
        <section aria-label="Template library">
          {templates.data && list.length === 0 ? (
            <EmptyState title="No templates yet">
              Save the messages you send again and again — a welcome email, a showing reminder text — and pick them in any plan.
            </EmptyState>
          ) : (
            <div className="card">
              <ul className="list">
                {list.map((t) => (
                  <li key={t.id} className="list-row">
                    <button
                      type="button"
                      className="link-button"
                      aria-current={draft?.id === t.id ? 'true' : undefined}
                      onClick={() => setDraft(t)}
                    >
                      {t.name}
                    </button>
                    <Badge tone={t.kind === 'email' ? 'blue' : 'green'}>{t.kind === 'email' ? 'Email' : 'Text'}</Badge>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <SignatureCard />
        </section>
        {draft ? (
          <Card
            title={
              draft.id
                ? `Edit ${draft.kind === 'email' ? 'email' : 'text'} template`
                : `New ${draft.kind === 'email' ? 'email' : 'text'} template`
            }
          >
            <ErrorBanner message={error} />
            <div className="stack">
              <Field label="Template name">
                {(p) => <input {...p} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />}
              </Field>
              {draft.kind === 'email' ? (
                <Field label="Template subject">
                  {(p) => <input {...p} value={draft.subject ?? ''} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} />}
                </Field>
              ) : null}
              <Field
                label="Template text"
                hint={sms ? `${plural(sms.units, 'character')} · ${plural(sms.segments, 'segment')} (${sms.encoding})` : undefined}
              >
                {(p) => <textarea {...p} rows={8} value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} />}
              </Field>
              <div className="merge-fields" role="group" aria-label="Insert merge field">
                <span className="muted small">Insert:</span>
                {MERGE_FIELDS.map((f) => (
                  <button
                    key={f.token}
                    type="button"
                    className="chip"
                    onClick={() => setDraft({ ...draft, body: `${draft.body}{{${f.token}}}` })}
                  >
                    {f.label}
                  </button>
                ))}
              </div>
              <div className="form-actions">
                {draft.id ? (
                  <Button tone="danger" onClick={() => setConfirmDelete(true)}>
                    Delete template
                  </Button>
                ) : null}
                <Button tone="primary" onClick={() => void save()}>
                  Save template
                </Button>
              </div>
            </div>
          </Card>
        ) : (
          <div className="empty">
            <h3>Pick a template to edit</h3>
            <p>Or create a new email or text template.</p>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete “${draft?.name ?? ''}”?`}
        body="Plans that used it keep their own copy of the text."
        confirmLabel="Delete template"
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => void remove()}
      />
    </div>
  );
}

function SignatureCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const stored = useEngineQuery('templates.signature.get', {}, ['settings']);
  const [text, setText] = useState<string | null>(null);
  const value = text ?? stored.data?.signature ?? '';
  return (
    <Card title="My email signature">
      <Field label="Signature" hint="Added below every email you send from a plan.">
        {(p) => (
          <textarea
            {...p}
            rows={4}
            value={value}
            placeholder={'Jane Agent\nBright Homes Realty · (555) 010-2000'}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <Button
          disabled={text === null}
          onClick={() =>
            void client.call('templates.signature.set', { signature: value }).then(
              () => {
                setText(null);
                toast('Signature saved', 'success');
              },
              (err: unknown) => toast(errorMessage(err), 'error'),
            )
          }
        >
          Save signature
        </Button>
      </div>
    </Card>
  );
}
