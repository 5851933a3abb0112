import { useEffect, useRef, useState } from 'react';
import type { RoutingRule } from '@shared/model/team';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Badge, Button, Card, EmptyState, ErrorBanner } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { useApp, useClient } from '../../lib/store';
import { useEngineQuery } from '../../lib/use-engine';
import { assigneeNames, describeConditions } from './describe-rule';
import { RuleFormDialog } from './RuleFormDialog';
import './routing.css';

type Dir = 'up' | 'down';

/**
 * The account's routing rules, in the order they are tried: managers add, edit, delete and move them.
 * Moving is done with buttons (keyboard and screen readers included); focus stays on the moved rule.
 */
export function RoutingRulesCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const users = useApp((s) => s.session?.users ?? []);
  const rules = useEngineQuery('routing.rules.list', {}, ['routingRules', 'users']);
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const [toDelete, setToDelete] = useState<RoutingRule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const refocus = useRef<{ id: string; dir: Dir } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  const list = rules.data ?? [];
  const movable = list.filter((r) => !r.isDefault);

  // After a move the list re-renders in the new order: put focus back on the same rule's button
  // (or its other move button when that one became disabled at the top or bottom).
  useEffect(() => {
    const want = refocus.current;
    if (!want || !listRef.current) return;
    const row = listRef.current.querySelector<HTMLElement>(`[data-rule-id="${want.id}"]`);
    const first = row?.querySelector<HTMLButtonElement>(`[data-move="${want.dir}"]:not(:disabled)`);
    const other = row?.querySelector<HTMLButtonElement>(`[data-move]:not(:disabled)`);
    (first ?? other)?.focus();
    refocus.current = null;
  }, [rules.data]);

  async function move(rule: RoutingRule, dir: Dir) {
    const i = movable.findIndex((r) => r.id === rule.id);
    const j = dir === 'up' ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= movable.length) return;
    const ids = movable.map((r) => r.id);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    setMoving(true);
    refocus.current = { id: rule.id, dir };
    try {
      await client.call('routing.rules.reorder', { ids: [...ids, ...list.filter((r) => r.isDefault).map((r) => r.id)] });
      setError(null);
    } catch (err) {
      refocus.current = null;
      setError(errorMessage(err));
      rules.reload();
    } finally {
      setMoving(false);
    }
  }

  async function remove(rule: RoutingRule) {
    setToDelete(null);
    try {
      await client.call('routing.rules.delete', { id: rule.id });
      toast(`Routing rule “${rule.name}” deleted`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card
      title="Routing rules"
      actions={
        <Button tone="primary" onClick={() => setEditing('new')}>
          New rule
        </Button>
      }
    >
      <p className="muted small">
        A new lead goes to the first rule that matches, from the top; the rule’s people receive leads in turn (round robin). The default
        rule takes the rest. Leads an agent or lender creates stay theirs.
      </p>
      <ErrorBanner message={rules.error ?? error} />
      {rules.data && list.length === 0 ? (
        <EmptyState
          title="No routing rules yet"
          action={
            <Button tone="primary" onClick={() => setEditing('new')}>
              Add the first rule
            </Button>
          }
        >
          Until you add one, a lead stays with whoever creates or imports it.
        </EmptyState>
      ) : (
        <ol className="list rule-list" aria-label="Routing rules" ref={listRef}>
          {list.map((r) => {
            const at = movable.findIndex((m) => m.id === r.id);
            return (
              <li key={r.id} className="list-row rule-row" data-rule-id={r.id} aria-label={r.name}>
                <span className="rule-pos" aria-hidden="true">
                  {r.isDefault ? '∗' : at + 1}
                </span>
                <span className="rule-text">
                  <strong>{r.name}</strong> {r.isDefault ? <Badge tone="blue">Default · tried last</Badge> : null}
                  <br />
                  <span className="small muted">
                    {describeConditions(r)} → {assigneeNames(r, users)}
                  </span>
                </span>
                <span className="row-actions">
                  {r.isDefault ? null : (
                    <>
                      <Button
                        tone="ghost"
                        data-move="up"
                        aria-label={`Move “${r.name}” up`}
                        title="Move up: tried earlier"
                        disabled={moving || at === 0}
                        onClick={() => void move(r, 'up')}
                      >
                        ↑ Up
                      </Button>
                      <Button
                        tone="ghost"
                        data-move="down"
                        aria-label={`Move “${r.name}” down`}
                        title="Move down: tried later"
                        disabled={moving || at === movable.length - 1}
                        onClick={() => void move(r, 'down')}
                      >
                        ↓ Down
                      </Button>
                    </>
                  )}
                  <Button aria-label={`Edit “${r.name}”`} onClick={() => setEditing(r)}>
                    Edit
                  </Button>
                  <Button tone="ghost" aria-label={`Delete “${r.name}”`} onClick={() => setToDelete(r)}>
                    Delete
                  </Button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <RuleFormDialog
        key={editing === null ? 'closed' : editing === 'new' ? 'new' : editing.id}
        open={editing !== null}
        rule={editing === 'new' ? null : editing}
        users={users}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={toDelete !== null}
        title={`Delete the rule “${toDelete?.name ?? ''}”?`}
        body="Leads already routed keep their people. New leads will no longer match this rule, and the choices people made for it in their Lead Routing Settings stop applying."
        confirmLabel="Delete rule"
        onCancel={() => setToDelete(null)}
        onConfirm={() => {
          if (toDelete) void remove(toDelete);
        }}
      />
    </Card>
  );
}
