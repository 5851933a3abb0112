import { useEffect, useRef, useState } from 'react';
import type { MessagePreview } from '@shared/contract/templates';
import { leadDisplayName } from '@shared/model/lead';
import { MERGE_FIELDS } from '@shared/merge-fields';
import { smsSegments } from '@shared/sms-segments';
import { Field } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { useClient } from '../lib/store';
import type { BuilderEnv } from './env';
import type { StepOf } from './kinds';

type MessageStep = StepOf<'email'> | StepOf<'sms'>;
type Patch = { subject?: string; body?: string; templateId?: string | undefined; review?: MessageStep['review'] };

/** Email and SMS: template picker, inline editor, merge-field picker, live preview for a chosen lead. */
export function MessageEditor({
  step,
  index,
  env,
  onChange,
}: {
  step: MessageStep;
  index: number;
  env: BuilderEnv;
  onChange: (p: Patch) => void;
}) {
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const lastField = useRef<'subject' | 'body'>('body');
  const subject = step.kind === 'email' ? step.subject : '';
  const templates = env.templates.filter((t) => t.kind === step.kind);
  const at = `steps.${index}`;

  const insert = (token: string) => {
    const text = `{{${token}}}`;
    if (lastField.current === 'subject' && step.kind === 'email') {
      const el = subjectRef.current;
      const from = el?.selectionStart ?? subject.length;
      onChange({ subject: subject.slice(0, from) + text + subject.slice(el?.selectionEnd ?? from) });
    } else {
      const el = bodyRef.current;
      const from = el?.selectionStart ?? step.body.length;
      onChange({ body: step.body.slice(0, from) + text + step.body.slice(el?.selectionEnd ?? from) });
    }
  };

  const segments = step.kind === 'sms' ? smsSegments(step.body) : null;
  return (
    <div className="message-editor">
      <div className="stack">
        {templates.length ? (
          <Field label="Start from a template">
            {(p) => (
              <select
                {...p}
                value={step.templateId ?? ''}
                onChange={(e) => {
                  const t = templates.find((x) => x.id === e.target.value);
                  onChange(
                    t
                      ? { templateId: t.id, body: t.body, ...(step.kind === 'email' ? { subject: t.subject } : {}) }
                      : { templateId: undefined },
                  );
                }}
              >
                <option value="">— Write my own —</option>
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {step.kind === 'email' ? (
          <Field label="Subject" error={env.issues[`${at}.subject`]}>
            {(p) => (
              <input
                {...p}
                ref={subjectRef}
                value={subject}
                placeholder="e.g. Welcome, {{lead.firstName}}!"
                onFocus={() => (lastField.current = 'subject')}
                onChange={(e) => onChange({ subject: e.target.value })}
              />
            )}
          </Field>
        ) : null}
        <Field
          label="Message"
          error={env.issues[`${at}.body`]}
          hint={
            segments
              ? `${plural(segments.units, 'character')} · ${plural(segments.segments, 'segment')} (${segments.encoding}, ${segments.perSegment} per segment) · ${segments.remaining} left`
              : 'Plain text. Merge fields are filled in for each lead; your signature is added when it is sent.'
          }
        >
          {(p) => (
            <textarea
              {...p}
              ref={bodyRef}
              rows={step.kind === 'sms' ? 3 : 6}
              value={step.body}
              onFocus={() => (lastField.current = 'body')}
              onChange={(e) => onChange({ body: e.target.value })}
            />
          )}
        </Field>
        <div className="merge-fields" role="group" aria-label="Insert merge field">
          <span className="muted small">Insert:</span>
          {MERGE_FIELDS.map((f) => (
            <button
              key={f.token}
              type="button"
              className="chip"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insert(f.token)}
              title={`{{${f.token}}}`}
            >
              {f.label}
            </button>
          ))}
        </div>
        <Field label="Before sending">
          {(p) => (
            <select
              {...p}
              value={step.review?.mode ?? 'none'}
              onChange={(e) => {
                const mode = e.target.value;
                onChange({
                  review: mode === 'sendUnlessReviewed' ? { mode, hours: 4 } : mode === 'reviewFirst' ? { mode } : { mode: 'none' },
                });
              }}
            >
              <option value="none">Send automatically</option>
              <option value="reviewFirst">Put it in my review queue first</option>
              <option value="sendUnlessReviewed">Send unless I review it within a few hours</option>
            </select>
          )}
        </Field>
        {step.review?.mode === 'sendUnlessReviewed' ? (
          <Field label="Hours to review">
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={720}
                className="num-input"
                value={step.review?.mode === 'sendUnlessReviewed' ? step.review.hours : 4}
                onChange={(e) =>
                  onChange({ review: { mode: 'sendUnlessReviewed', hours: Math.max(1, Math.floor(Number(e.target.value) || 1)) } })
                }
              />
            )}
          </Field>
        ) : null}
      </div>
      <LivePreview kind={step.kind} subject={subject} body={step.body} env={env} index={index} />
    </div>
  );
}

function LivePreview({
  kind,
  subject,
  body,
  env,
  index,
}: {
  kind: 'email' | 'sms';
  subject: string;
  body: string;
  env: BuilderEnv;
  index: number;
}) {
  const client = useClient();
  const [leadId, setLeadId] = useState<string>('');
  const chosen = leadId || env.leads[0]?.id || '';
  const [preview, setPreview] = useState<MessagePreview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!chosen) return;
    // Typing fires many changes: render once the user pauses.
    const timer = setTimeout(() => {
      client.call('templates.preview', { leadId: chosen, subject, body }).then(
        (p) => {
          setPreview(p);
          setError(null);
        },
        (err: unknown) => setError(errorMessage(err)),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [client, chosen, subject, body]);

  return (
    <aside className="preview" aria-label={`Preview of step ${index + 1}`}>
      <div className="preview-head">
        <span className="small muted">Preview for</span>
        <select aria-label="Preview for lead" value={chosen} onChange={(e) => setLeadId(e.target.value)} disabled={!env.leads.length}>
          {env.leads.length ? null : <option value="">No leads yet</option>}
          {env.leads.map((l) => (
            <option key={l.id} value={l.id}>
              {leadDisplayName(l)}
            </option>
          ))}
        </select>
      </div>
      {!chosen ? (
        <p className="small muted">Add a lead to see this message as they will read it.</p>
      ) : error ? (
        <p className="field-error">{error}</p>
      ) : preview?.problems.length ? (
        <ul className="problems">
          {preview.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : preview ? (
        <div className={`bubble bubble-${kind}`}>
          {kind === 'email' ? <p className="preview-subject">{preview.subject || '(no subject)'}</p> : null}
          <p className="preview-body">{preview.body || '(empty)'}</p>
        </div>
      ) : null}
    </aside>
  );
}
