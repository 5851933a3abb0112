import { Button } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { downloadText } from '../../lib/files';
import { useApp, useClient } from '../../lib/store';

/** "Export CSV" on the leads table: the leads the table shows (all, or the current search). */
export function ExportLeadsButton({ search }: { search: string }) {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  async function run() {
    try {
      const file = await client.call('exchange.leads.export', { search });
      if (file.count === 0) {
        toast('There are no leads in this view to export.');
        return;
      }
      downloadText(file.fileName, file.text, 'text/csv');
      toast(`Exported ${file.count.toLocaleString()} lead${file.count === 1 ? '' : 's'}`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }
  return <Button onClick={() => void run()}>Export CSV</Button>;
}
