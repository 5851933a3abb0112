import { useState } from 'react';
import type { PlanInput } from '@shared/model/plan';
import { errorMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { STARTER_PLANS, starterToPlan } from '../lib/starter-plans';
import { useApp, useClient } from '../lib/store';
import { Modal } from './Modal';
import { Badge, Button } from './ui';

/** "Import starter plan": the plans shipped with the app, each imported as a draft to review. */
export function StarterPlansDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const client = useClient();
  const session = useApp((s) => s.session);
  const navigate = useApp((s) => s.navigate);
  const toast = useApp((s) => s.toast);
  const [level, setLevel] = useState<'personal' | 'account'>('personal');
  const [problem, setProblem] = useState<{ file: string; message: string } | null>(null);
  if (!session) return null;
  const user = session.currentUser;
  const manager = user.role === 'primaryManager' || user.role === 'manager';
  const scope: PlanInput['scope'] = level === 'account' ? { kind: 'account' } : { kind: 'personal', ownerUserId: user.id };

  async function importPlan(file: string) {
    const entry = STARTER_PLANS.find((s) => s.file === file);
    if (!entry?.plan) return;
    try {
      const created = await client.call('plans.create', starterToPlan(entry.plan, scope));
      toast(`Imported “${created.name}” as a draft — review it, then save as Ready`, 'success');
      onClose();
      navigate({ screen: 'plan', id: created.id });
    } catch (err) {
      setProblem({ file, message: errorMessage(err) });
    }
  }

  return (
    <Modal open={open} title="Import a starter plan" onClose={onClose} wide>
      <p className="muted">Ready-made plans with real copy. Each comes in as a draft so you can make it your own before it runs.</p>
      {manager ? (
        <label className="check">
          Import as
          <select aria-label="Import as" value={level} onChange={(e) => setLevel(e.target.value as 'personal' | 'account')}>
            <option value="personal">Personal plan</option>
            <option value="account">Account plan (whole team)</option>
          </select>
        </label>
      ) : null}
      <ul className="starter-list">
        {STARTER_PLANS.map(({ file, plan, problem: fileProblem }) => (
          <li key={file} className="starter" aria-label={plan?.name ?? file}>
            <div>
              <strong>{plan?.name ?? file}</strong> {plan ? <Badge tone="blue">{plan.category}</Badge> : null}
              <p className="small muted">
                {plan ? `${plan.description} ${plural(plan.steps.length, 'step')}.` : `This file cannot be used: ${fileProblem}`}
              </p>
              {problem?.file === file ? (
                <p className="field-error" role="alert">
                  {problem.message}
                </p>
              ) : null}
            </div>
            <Button tone="primary" disabled={!plan} aria-label={`Import ${plan?.name ?? file}`} onClick={() => void importPlan(file)}>
              Import
            </Button>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <Button onClick={onClose}>Close</Button>
      </div>
    </Modal>
  );
}
