import { useState } from 'react';
import { Button, Card, ErrorBanner, Field } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { downloadText } from '../../lib/files';
import { useApp, useClient } from '../../lib/store';

/** The leads table's view (all leads or a search) as a CSV that spreadsheets open safely. */
export function LeadsExportCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const [search, setSearch] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function run() {
    try {
      setError(null);
      const file = await client.call('exchange.leads.export', { search });
      if (file.count === 0) {
        setError(search ? `No lead matches “${search}”.` : 'There are no leads to export yet.');
        return;
      }
      downloadText(file.fileName, file.text, 'text/csv');
      toast(`Exported ${file.count.toLocaleString()} leads`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card title="Export leads to CSV">
      <p className="muted">Cells that a spreadsheet would run as a formula are saved as plain text.</p>
      <ErrorBanner message={error} />
      <Field label="Only leads matching" hint="Leave empty for all leads; same search as the Leads screen">
        {(props) => <input {...props} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />}
      </Field>
      <Button tone="primary" onClick={() => void run()}>
        Download CSV
      </Button>
    </Card>
  );
}
