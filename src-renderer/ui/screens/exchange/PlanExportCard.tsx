import { useState } from 'react';
import type { PlanId } from '@shared/model/ids';
import { Button, Card, EmptyState, ErrorBanner } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { downloadText, openHtmlInNewTab } from '../../lib/files';
import { plural } from '../../lib/format';
import { useApp, useClient } from '../../lib/store';
import { useEngineQuery } from '../../lib/use-engine';

/** Pick plans, then save them as a plan file or open a printable review of them. */
export function PlanExportCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const me = useApp((s) => s.session?.currentUser.id);
  const plans = useEngineQuery('plans.list', {}, ['plans']);
  const visible = (plans.data ?? []).filter(({ plan }) => plan.scope.kind === 'account' || plan.scope.ownerUserId === me);
  const [chosen, setChosen] = useState<Set<PlanId>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [review, setReview] = useState<string | null>(null);
  const ids = chosen.size > 0 ? [...chosen] : undefined;

  const toggle = (id: PlanId) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  async function exportFile() {
    try {
      setError(null);
      const file = await client.call('exchange.plans.export', { planIds: ids });
      downloadText(file.fileName, file.text, 'application/json');
      toast(`Saved ${file.fileName}`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function openReview() {
    try {
      setError(null);
      const doc = await client.call('exchange.plans.review', { planIds: ids ?? visible.map((p) => p.plan.id) });
      if (!openHtmlInNewTab(doc.text)) setReview(doc.text);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (plans.data && visible.length === 0) {
    return (
      <Card title="Export plans">
        <EmptyState title="No plans to export yet">Plans you build, and account plans, can be saved to a file here.</EmptyState>
      </Card>
    );
  }
  return (
    <Card title="Export plans">
      <p className="muted">
        Choose plans (none = all you can see). The file carries their steps, the templates they use, tags, stages, sources and users by
        name; plans they chain to come along.
      </p>
      <ErrorBanner message={error} />
      <ul className="checklist" aria-label="Plans to export">
        {visible.map(({ plan }) => (
          <li key={plan.id}>
            <label>
              <input type="checkbox" checked={chosen.has(plan.id)} onChange={() => toggle(plan.id)} />
              {plan.name}
              <span className="small muted">
                {plan.scope.kind === 'account' ? 'Account' : 'Personal'} · {plural(plan.steps.length, 'step')}
              </span>
            </label>
          </li>
        ))}
      </ul>
      <div className="exchange-actions">
        <Button tone="primary" onClick={() => void exportFile()}>
          {chosen.size > 0 ? `Save ${chosen.size} plan${chosen.size === 1 ? '' : 's'} to a file` : 'Save all plans to a file'}
        </Button>
        <Button onClick={() => void openReview()}>Open review document</Button>
      </div>
      {review ? (
        <div className="stack" style={{ marginTop: 'var(--s3)' }}>
          <iframe
            className="review-frame"
            title="Plan review"
            sandbox="allow-same-origin allow-modals"
            srcDoc={review}
            id="plan-review-frame"
          />
          <div className="exchange-actions">
            <Button
              tone="primary"
              onClick={() => (document.getElementById('plan-review-frame') as HTMLIFrameElement | null)?.contentWindow?.print()}
            >
              Print or save as PDF
            </Button>
            <Button onClick={() => downloadText('plan-review.html', review, 'text/html')}>Download HTML</Button>
            <Button tone="ghost" onClick={() => setReview(null)}>
              Close review
            </Button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}
