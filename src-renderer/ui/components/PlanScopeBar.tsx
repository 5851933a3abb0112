import type { PlanId } from '@shared/model/ids';
import type { PlanInput } from '@shared/model/plan';
import { Badge, Button } from './ui';
import { errorMessage } from '../lib/errors';
import { useRights } from '../lib/rights';
import { useApp, useClient } from '../lib/store';

/** Whether the current user may change this plan (the engine refuses the same cases). */
export function usePlanEditable(plan: PlanInput | null): boolean {
  const rights = useRights();
  const me = useApp((s) => s.session?.currentUser.id);
  if (!plan || !rights) return false;
  if (plan.locked) return false;
  return plan.scope.kind === 'account' ? rights.can.editAccountPlans : plan.scope.ownerUserId === me && rights.can.createPersonalPlans;
}

/** Who can use the plan, its lock, and what a reader can do with a plan they cannot edit (duplicate it). */
export function PlanScopeBar({ id, plan, onScope }: { id: PlanId | 'new'; plan: PlanInput; onScope: (scope: PlanInput['scope']) => void }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const navigate = useApp((s) => s.navigate);
  const me = useApp((s) => s.session?.currentUser.id ?? '');
  const rights = useRights();
  const editable = usePlanEditable(plan);
  if (!rights) return null;

  async function run(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      toast(done, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }
  const duplicate = () =>
    run(async () => {
      const copy = await client.call('plans.duplicate', { id: id });
      navigate({ screen: 'plan', id: copy.id });
    }, 'Copied as your personal plan (draft)');

  return (
    <div className="inline-form" role="group" aria-label="Who can use this plan">
      {id === 'new' && rights.can.editAccountPlans ? (
        <>
          <label htmlFor="plan-scope">Who can use it</label>
          <select
            id="plan-scope"
            value={plan.scope.kind}
            onChange={(e) => onScope(e.target.value === 'account' ? { kind: 'account' } : { kind: 'personal', ownerUserId: me })}
          >
            <option value="personal">Only me (personal plan)</option>
            <option value="account">Everyone on the team (account plan)</option>
          </select>
        </>
      ) : (
        <span>
          {plan.scope.kind === 'account' ? <Badge tone="blue">Account plan</Badge> : <Badge>Personal plan — only you see it</Badge>}{' '}
          {plan.locked ? <Badge tone="amber">Locked — read-only</Badge> : null}{' '}
          {!editable && !plan.locked ? (
            <span className="muted small">
              {plan.scope.kind === 'account'
                ? 'View only: only managers can edit account plans.'
                : 'View only: personal plans can be edited only while “Allow users to create personal action plans” is on.'}
            </span>
          ) : null}
        </span>
      )}
      {id !== 'new' && plan.scope.kind === 'account' && rights.can.editAccountPlans ? (
        <Button
          onClick={() =>
            void run(
              () => client.call('plans.setLocked', { id, locked: !plan.locked }),
              plan.locked ? 'Plan unlocked' : 'Plan locked: others can only view it',
            )
          }
        >
          {plan.locked ? 'Unlock plan' : 'Lock plan'}
        </Button>
      ) : null}
      {id !== 'new' && !editable && rights.can.createPersonalPlans ? (
        <Button onClick={() => void duplicate()}>Duplicate as personal plan</Button>
      ) : null}
    </div>
  );
}
