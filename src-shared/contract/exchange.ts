import { z } from 'zod';
import { csvMappingSchema, leadCsvFieldSchema, leadCsvRowSchema } from '../exchange/lead-csv';
import type { CsvMapping, RowProblem } from '../exchange/lead-csv';
import { planImportMappingSchema } from '../exchange/plan-file';
import { planId } from '../model/ids';
import type { PlanId, UserId } from '../model/ids';
import { timeZoneSchema } from '../model/lead';
import { method } from '../rpc/spec';

export interface ExportedFile {
  fileName: string;
  text: string;
}

export const importScopeSchema = z.enum(['personal', 'account']);

/** What the import wizard shows before anything is written. */
export interface PlanImportPreview {
  exportedBy: string;
  exportedAt: string;
  plans: {
    key: string;
    name: string;
    steps: number;
    status: string;
    /** The plan of that name where it would be imported, if any: the user picks rename, replace or skip. */
    conflict: { planId: PlanId; enrolled: number } | null;
  }[];
  tags: { name: string; exists: boolean }[];
  stages: { name: string; exists: boolean }[];
  sources: { name: string; exists: boolean }[];
  users: { name: string; email: string; match: UserId | null }[];
  templates: { name: string; exists: boolean }[];
  /** Everything tags/stages can be mapped to. */
  known: { tags: string[]; stages: string[]; sources: string[] };
  localUsers: { id: UserId; name: string; role: string }[];
  canImportAsAccount: boolean;
}

export interface PlanImportResult {
  imported: { id: PlanId; name: string }[];
  replaced: number;
  skipped: number;
}

export interface LeadImportResult {
  created: number;
  merged: number;
  skipped: number;
  failed: number;
  cancelled: boolean;
  problems: RowProblem[];
}

export interface BackupInfo {
  name: string;
  size: number;
  createdAt: number;
}

export interface BackupSettings {
  keepDays: number;
  lastAutoBackupAt: number | null;
}

export interface RestoreResult {
  tables: number;
  rows: number;
  createdAt: string;
}

const text = z.string();

export const exchangeContract = {
  /** No ids = every plan the user can see. Plans chained from the chosen ones come along. */
  'exchange.plans.export': method<ExportedFile>()(z.object({ planIds: z.array(planId).optional() })),
  'exchange.plans.preview': method<PlanImportPreview>()(z.object({ text, as: importScopeSchema })),
  'exchange.plans.import': method<PlanImportResult>()(
    z.object({ text, as: importScopeSchema, locked: z.boolean().default(false), mapping: planImportMappingSchema.prefault({}) }),
  ),
  'exchange.plans.review': method<ExportedFile>()(z.object({ planIds: z.array(planId).min(1, 'Pick at least one plan') })),
  'exchange.leads.import': method<LeadImportResult>()(
    z.object({
      importId: z.string().min(1),
      rows: z.array(leadCsvRowSchema).max(1_000_000),
      /** Field → the CSV header it came from, so problems name the user's column. */
      columns: z.partialRecord(leadCsvFieldSchema, z.string()),
      dedupe: z.enum(['merge', 'skip', 'create']),
      runAutomations: z.boolean().default(true),
      defaultTimeZone: timeZoneSchema,
      /** Phones without a country code are read as numbers of this country. */
      defaultCountry: z.string().length(2).default('US'),
    }),
  ),
  'exchange.leads.cancelImport': method<{ cancelled: boolean }>()(z.object({ importId: z.string().min(1) })),
  'exchange.leads.export': method<ExportedFile & { count: number }>()(z.object({ search: z.string().default('') })),
  'exchange.csvMappings.list': method<CsvMapping[]>()(z.object({})),
  'exchange.csvMappings.save': method<CsvMapping[]>()(csvMappingSchema),
  'exchange.backup.create': method<ExportedFile>()(z.object({})),
  'exchange.backup.restore': method<RestoreResult>()(z.object({ text })),
  'exchange.backup.list': method<BackupInfo[]>()(z.object({})),
  'exchange.backup.restoreSaved': method<RestoreResult>()(z.object({ name: z.string().min(1) })),
  'exchange.backup.settings': method<BackupSettings>()(z.object({ keepDays: z.number().int().min(1).max(365).optional() })),
};

export interface ExchangeEvents {
  importProgress: { importId: string; done: number; total: number; created: number; merged: number; skipped: number; failed: number };
}
