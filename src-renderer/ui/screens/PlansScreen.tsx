import { Badge, Button, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { plural } from '../lib/format';
import { useRights } from '../lib/rights';
import { useApp } from '../lib/store';
import { useEngineQuery } from '../lib/use-engine';

export function PlansScreen() {
  const navigate = useApp((s) => s.navigate);
  const plans = useEngineQuery('plans.list', {}, ['plans', 'enrollments']);
  const newPlan = () => navigate({ screen: 'plan', id: 'new' });
  const rights = useRights();
  const canCreate = rights ? rights.can.createPersonalPlans || rights.can.editAccountPlans : false;
  return (
    <div className="page">
      <PageHeader
        title="Action plans"
        subtitle={plans.data ? plural(plans.data.length, 'plan') : ' '}
        actions={
          canCreate ? (
            <Button tone="primary" onClick={newPlan}>
              New plan
            </Button>
          ) : null
        }
      />
      <ErrorBanner message={plans.error} />
      {plans.data?.length === 0 ? (
        <EmptyState
          title="No action plans yet"
          action={
            canCreate ? (
              <Button tone="primary" onClick={newPlan}>
                Build your first plan
              </Button>
            ) : null
          }
        >
          A plan is a sequence of emails and other steps that run by themselves for every lead you enroll.
        </EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Category</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Steps
              </th>
              <th scope="col" className="num">
                Active
              </th>
              <th scope="col" className="num">
                Paused
              </th>
              <th scope="col" className="num">
                Completed
              </th>
            </tr>
          </thead>
          <tbody>
            {plans.data?.map(({ plan, counts }) => (
              <tr key={plan.id} className="row-link" onClick={() => navigate({ screen: 'plan', id: plan.id })}>
                <td>
                  <a
                    href={`#plan-${plan.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ screen: 'plan', id: plan.id });
                    }}
                  >
                    {plan.name}
                  </a>{' '}
                  {plan.scope.kind === 'account' ? <Badge tone="blue">Account</Badge> : <Badge>Personal</Badge>}{' '}
                  {plan.locked ? <Badge tone="amber">Locked</Badge> : null}
                </td>
                <td className="cap">{plan.category}</td>
                <td>{plan.status === 'ready' ? <Badge tone="green">Ready</Badge> : <Badge tone="amber">Draft</Badge>}</td>
                <td className="num">{plan.steps.length}</td>
                <td className="num">{counts.active}</td>
                <td className="num">{counts.paused}</td>
                <td className="num">{counts.completed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
