import { z } from 'zod';

/** The lead fields a CSV column can fill; `tags` splits on `;` or `,`. */
export const LEAD_CSV_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'stage', 'source', 'tags', 'timeZone'] as const;
export const leadCsvFieldSchema = z.enum(LEAD_CSV_FIELDS);
export type LeadCsvField = z.infer<typeof leadCsvFieldSchema>;

export const LEAD_CSV_FIELD_LABELS: Record<LeadCsvField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  stage: 'Stage',
  source: 'Source',
  tags: 'Tags',
  timeZone: 'Time zone',
};

const SYNONYMS: Record<LeadCsvField, string[]> = {
  firstName: ['first name', 'firstname', 'first', 'given name', 'fname', 'name'],
  lastName: ['last name', 'lastname', 'last', 'surname', 'family name', 'lname'],
  email: ['email', 'e-mail', 'email address', 'mail'],
  phone: ['phone', 'phone number', 'mobile', 'cell', 'telephone', 'tel'],
  stage: ['stage', 'status', 'lead stage'],
  source: ['source', 'lead source', 'origin'],
  tags: ['tags', 'tag', 'labels'],
  timeZone: ['time zone', 'timezone', 'tz', 'zone'],
};

/** A first guess at which lead field a header fills (the user can change every one). */
export function guessField(header: string): LeadCsvField | null {
  const h = header.trim().toLowerCase().replace(/[_.]+/g, ' ');
  for (const field of LEAD_CSV_FIELDS) if (SYNONYMS[field].includes(h)) return field;
  return null;
}

/** Header → lead field, as saved under a name for the next import from the same system. */
export const csvMappingSchema = z.object({
  name: z.string().trim().min(1, 'Name the mapping').max(100),
  columns: z.record(z.string(), leadCsvFieldSchema),
});
export type CsvMapping = z.infer<typeof csvMappingSchema>;

/** One CSV row mapped to lead fields, with its row number in the file (header = row 1). */
export const leadCsvRowSchema = z.object({
  row: z.number().int().min(1),
  values: z.partialRecord(leadCsvFieldSchema, z.string()),
});
export type LeadCsvRow = z.infer<typeof leadCsvRowSchema>;

export interface RowProblem {
  row: number;
  column: string;
  problem: string;
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or tab / CR, which some treat the same) as a
 * formula: a lead named `=HYPERLINK(...)` must open as text, so such cells get a leading quote.
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Undoes `neutralizeCell` on import, so a CSV this app exported comes back as it was (e.g. phones starting with +). */
export function restoreCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
