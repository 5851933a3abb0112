import { useEffect, useState } from 'react';
import type { EditPreview } from '@shared/contract/plans';
import type { PlanId } from '@shared/model/ids';
import type { PlanInput } from '@shared/model/plan';
import { Modal } from '../components/Modal';
import { Button } from '../components/ui';
import { errorMessage } from '../lib/errors';
import { formatDateTime, plural } from '../lib/format';
import { useClient } from '../lib/store';

/** Before saving a plan with leads in it: what the edit does to each enrolled lead (the engine's `plans.previewEdit`). */
export function EditEffectDialog({
  open,
  id,
  plan,
  enrolled,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  id: PlanId;
  plan: PlanInput;
  enrolled: number;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const client = useClient();
  const [effect, setEffect] = useState<EditPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The plan object is rebuilt on every render of the builder: compare it by content.
  const planKey = JSON.stringify(plan);
  useEffect(() => {
    if (!open) return;
    let live = true;
    client.call('plans.previewEdit', { id, plan: JSON.parse(planKey) as PlanInput }).then(
      (e) => live && (setEffect(e), setProblem(null)),
      (err: unknown) => live && (setEffect(null), setProblem(errorMessage(err))),
    );
    return () => {
      live = false;
    };
  }, [client, open, id, planKey]);

  const changed = effect?.leads.filter((l) => l.gained.length || l.lost.length || l.moved.length) ?? [];
  return (
    <Modal open={open} title="Save changes for enrolled leads?" onClose={onCancel} wide>
      <p>
        {plural(effect?.enrollments ?? enrolled, 'lead')} {(effect?.enrollments ?? enrolled) === 1 ? 'is' : 'are'} in this plan. Each keeps
        its place; changes apply to their future steps only.
      </p>
      {effect ? (
        <>
          <p className="edit-summary">
            <strong>{plural(effect.gain, 'lead')}</strong> gain steps · <strong>{plural(effect.lose, 'lead')}</strong> lose steps ·{' '}
            <strong>{plural(effect.move, 'lead')}</strong> re-timed
          </p>
          {changed.length ? (
            <ul className="edit-effects" aria-label="Effect on each lead">
              {changed.slice(0, 8).map((l) => (
                <li key={l.enrollmentId}>
                  <strong>{l.leadName}</strong>
                  {l.gained.length ? <span className="small"> · gains {l.gained.join(', ')}</span> : null}
                  {l.lost.length ? <span className="small"> · loses {l.lost.join(', ')}</span> : null}
                  {l.moved.map((m) => (
                    <span key={m.stepName} className="small">
                      {' '}
                      · {m.stepName}: {m.from ? formatDateTime(m.from) : '—'} → {m.to ? formatDateTime(m.to) : '—'}
                    </span>
                  ))}
                </li>
              ))}
              {changed.length > 8 ? <li className="muted small">…and {changed.length - 8} more</li> : null}
            </ul>
          ) : (
            <p className="muted">No enrolled lead’s upcoming steps change.</p>
          )}
        </>
      ) : problem ? (
        <p className="field-error">The per-lead effect could not be worked out: {problem}</p>
      ) : (
        <p className="muted">Working out the effect on each lead…</p>
      )}
      <div className="dialog-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="primary" onClick={onConfirm}>
          Save changes
        </Button>
      </div>
    </Modal>
  );
}
