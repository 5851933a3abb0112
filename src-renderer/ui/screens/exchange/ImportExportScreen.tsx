import { PageHeader } from '../../components/ui';
import { BackupCard } from './BackupCard';
import { LeadsExportCard } from './LeadsExportCard';
import { LeadsImportCard } from './LeadsImportCard';
import { PlanExportCard } from './PlanExportCard';
import { PlanImportCard } from './PlanImportCard';
import './exchange.css';

export function ImportExportScreen() {
  return (
    <div className="page">
      <PageHeader title="Import & export" subtitle="Plan files, plan reviews, leads CSV and backups" />
      <h2 className="section-title">Action plans</h2>
      <div className="grid-2">
        <PlanExportCard />
        <PlanImportCard />
      </div>
      <h2 className="section-title">Leads</h2>
      {/* Full width: the column mapping and preview need the room. */}
      <div className="stack">
        <LeadsImportCard />
        <LeadsExportCard />
      </div>
      <h2 className="section-title">Your data</h2>
      <BackupCard />
    </div>
  );
}
