import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DropZone } from '../../components/DropZone';
import { Button, Card, EmptyState, ErrorBanner, Field } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { downloadText, readFileText } from '../../lib/files';
import { formatDateTime } from '../../lib/format';
import { useApp, useClient } from '../../lib/store';
import { useEngineQuery } from '../../lib/use-engine';

type Pending = { kind: 'file'; name: string; text: string } | { kind: 'saved'; name: string };

/** Backup of everything, restore with a confirmation, and the automatic daily backups. */
export function BackupCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const setSession = useApp((s) => s.setSession);
  const settings = useEngineQuery('exchange.backup.settings', {}, ['settings']);
  const list = useEngineQuery('exchange.backup.list', {}, ['settings']);
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function backup() {
    try {
      setError(null);
      const file = await client.call('exchange.backup.create', {});
      downloadText(file.fileName, file.text, 'application/json');
      toast(`Saved ${file.fileName}`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  // The restored store has its own users: if the current one is not among them, continue as its primary manager.
  async function sessionAfterRestore() {
    try {
      return await client.call('session.get', {});
    } catch {
      client.actAs(null);
      const session = await client.call('session.get', {});
      client.actAs(session.currentUser.id);
      return session;
    }
  }

  async function restore(p: Pending) {
    setPending(null);
    setBusy(true);
    setError(null);
    try {
      const r =
        p.kind === 'file'
          ? await client.call('exchange.backup.restore', { text: p.text })
          : await client.call('exchange.backup.restoreSaved', { name: p.name });
      setSession(await sessionAfterRestore());
      toast(`Restored ${r.rows.toLocaleString()} records from ${r.createdAt ? new Date(r.createdAt).toLocaleString() : p.name}`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Backup and restore">
      <p className="muted">A backup holds everything: leads, plans, history, outbox and settings (never passwords), with a check sum.</p>
      <ErrorBanner message={error} />
      <div className="exchange-actions">
        <Button tone="primary" onClick={() => void backup()}>
          Download a backup
        </Button>
      </div>
      <h3 className="section-title">Restore</h3>
      <DropZone
        label="Restore from a backup file…"
        hint="Replaces all current data; the file is checked first and a damaged file changes nothing."
        accept=".json,application/json"
        disabled={busy}
        onFile={(f) => void readFileText(f).then((text) => setPending({ kind: 'file', name: f.name, text }))}
      />
      <h3 className="section-title">Automatic daily backups</h3>
      <Field label="Keep daily backups for (days)">
        {(props) => (
          <input
            {...props}
            type="number"
            className="num-input"
            min={1}
            max={365}
            value={settings.data?.keepDays ?? 14}
            onChange={(e) => {
              const keepDays = Number(e.target.value);
              if (Number.isInteger(keepDays) && keepDays >= 1 && keepDays <= 365)
                void client.call('exchange.backup.settings', { keepDays });
            }}
          />
        )}
      </Field>
      {list.error ? <ErrorBanner message={list.error} /> : null}
      {list.data && list.data.length === 0 ? (
        <div className="backup-list">
          <EmptyState title="No automatic backup yet">The app saves one a day while it runs.</EmptyState>
        </div>
      ) : (
        <ul className="list backup-list" aria-label="Automatic backups">
          {list.data?.map((b) => (
            <li key={b.name} className="list-row">
              <span>
                {formatDateTime(b.createdAt)} <span className="small muted">({Math.ceil(b.size / 1024).toLocaleString()} KB)</span>
              </span>
              <Button disabled={busy} onClick={() => setPending({ kind: 'saved', name: b.name })}>
                Restore
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={pending !== null}
        title="Replace all data with this backup?"
        body={`Everything in the app now will be replaced by “${pending?.name ?? ''}”. Download a backup first if you may want today’s data back.`}
        confirmLabel="Replace all data"
        onCancel={() => setPending(null)}
        onConfirm={() => pending && void restore(pending)}
      />
    </Card>
  );
}
