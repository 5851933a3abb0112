import { useState } from 'react';
import type { BulkAction, LeadFacets, LeadFilter } from '@shared/contract/lead-workspace';
import type { LeadId, PlanId, UserId } from '@shared/model/ids';
import type { User } from '@shared/model/team';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Button } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { plural } from '../../lib/format';
import { useApp, useClient } from '../../lib/store';
import { newJobId, useBulkProgress } from '../../lib/use-bulk-progress';
import { useEngineQuery } from '../../lib/use-engine';

type Choice = 'enroll' | 'addTag' | 'removeTag' | 'stage' | 'buyerAgent' | 'listingAgent' | 'lender' | 'delete';

const CHOICES: { value: Choice; label: string }[] = [
  { value: 'enroll', label: 'Add to plan' },
  { value: 'addTag', label: 'Add tag' },
  { value: 'removeTag', label: 'Remove tag' },
  { value: 'stage', label: 'Change stage' },
  { value: 'buyerAgent', label: 'Assign buyer agent' },
  { value: 'listingAgent', label: 'Assign listing agent' },
  { value: 'lender', label: 'Assign lender' },
  { value: 'delete', label: 'Delete' },
];

export type BulkTarget = { ids: LeadId[] } | { filter: LeadFilter };

/** What to do with the selected leads: one action, its value, and Apply. */
export function BulkBar({
  count,
  target,
  facets,
  users,
  onDone,
  onDeleted,
}: {
  count: number;
  target: BulkTarget;
  facets: LeadFacets | undefined;
  users: User[];
  onDone: () => void;
  onDeleted: (batchId: string, count: number) => void;
}) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const plans = useEngineQuery('plans.list', {}, ['plans']);
  const [choice, setChoice] = useState<Choice>('addTag');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const progress = useBulkProgress(jobId);

  const ids = async (): Promise<LeadId[]> => ('ids' in target ? target.ids : (await client.call('leads.ids', target.filter)).ids);

  // One engine call for the whole selection: the daily cap is checked once, so a selection over it is refused whole.
  async function enrollAll(planId: PlanId) {
    const leadIds = await ids();
    setBusy(`Adding ${plural(leadIds.length, 'lead')} to the plan…`);
    const job = newJobId();
    setJobId(job);
    try {
      const r = await client.call('enrollments.enrollLeads', { planId, leadIds, jobId: job });
      const skipped = r.skipped
        ? `; ${r.skipped} skipped (${r.firstSkipReason ?? 'not allowed'}${r.skipped > 1 ? ', and similar' : ''})`
        : '';
      toast(`${plural(r.enrolled, 'lead')} added to the plan${skipped}.`, 'success');
    } finally {
      setJobId(null);
    }
  }

  async function run(action: BulkAction) {
    const res = await client.call('leads.bulk', { target, action });
    if (action.kind === 'delete' && res.batchId) onDeleted(res.batchId, res.changed);
    else toast(`${plural(res.changed, 'lead')} updated`, 'success');
  }

  async function apply() {
    setMessage(null);
    const v = value.trim();
    const needsValue = choice !== 'delete' && !['buyerAgent', 'listingAgent', 'lender'].includes(choice);
    if (needsValue && !v) {
      setMessage(
        choice === 'enroll' ? 'Pick a plan first.' : choice === 'stage' ? 'Type or pick a stage first.' : 'Type or pick a tag first.',
      );
      return;
    }
    if (choice === 'delete') {
      setConfirming(true);
      return;
    }
    setBusy('Working…');
    try {
      if (choice === 'enroll') await enrollAll(v as PlanId);
      else if (choice === 'addTag') await run({ kind: 'addTags', tags: [v] });
      else if (choice === 'removeTag') await run({ kind: 'removeTags', tags: [v] });
      else if (choice === 'stage') await run({ kind: 'setStage', stage: v });
      else await run({ kind: 'assign', role: choice, userId: v ? (v as UserId) : null });
      onDone();
    } catch (err) {
      setMessage(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  const listId = `bulk-values-${choice}`;
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <strong>{plural(count, 'lead')} selected</strong>
      <select
        aria-label="Bulk action"
        value={choice}
        onChange={(e) => (setChoice(e.target.value as Choice), setValue(''), setMessage(null))}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {choice === 'enroll' ? (
        <select aria-label="Plan" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">Choose a plan…</option>
          {(plans.data ?? [])
            .map((s) => s.plan)
            .filter((p) => p.status === 'ready')
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </select>
      ) : choice === 'addTag' || choice === 'removeTag' || choice === 'stage' ? (
        <>
          <input aria-label={choice === 'stage' ? 'Stage' : 'Tag'} list={listId} value={value} onChange={(e) => setValue(e.target.value)} />
          <datalist id={listId}>
            {(choice === 'stage' ? facets?.stages : facets?.tags)?.map((f) => (
              <option key={f.value} value={f.value} />
            ))}
          </datalist>
        </>
      ) : choice !== 'delete' ? (
        <select aria-label="User" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">Nobody (unassign)</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      ) : null}
      <Button tone={choice === 'delete' ? 'danger' : 'primary'} onClick={() => void apply()} disabled={busy !== null}>
        {progress && jobId ? `Adding to plan: ${progress.done} of ${progress.total}…` : (busy ?? 'Apply')}
      </Button>
      {message ? (
        <span className="bulk-message" role="status">
          {message}
        </span>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${plural(count, 'lead')}?`}
        body="They leave the table and their plans stop sending. You can undo right after."
        confirmLabel="Delete"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          setBusy('Deleting…');
          run({ kind: 'delete' })
            .then(onDone, (err: unknown) => setMessage(errorMessage(err)))
            .finally(() => setBusy(null));
        }}
      />
    </div>
  );
}
