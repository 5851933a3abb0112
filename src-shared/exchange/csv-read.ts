import { detect } from 'jschardet';
import Papa from 'papaparse';
import { AppError } from '../rpc/errors';
import { restoreCell } from './lead-csv';
import type { LeadCsvField, LeadCsvRow } from './lead-csv';

/** Bigger files are refused before reading: 100k leads with a dozen columns is under 50 MB. */
export const CSV_MAX_BYTES = 200 * 1024 * 1024;

export interface DecodedText {
  text: string;
  /** The encoding in words, shown in the preview so a wrong guess is visible. */
  encoding: string;
}

// Spreadsheets save CSV as UTF-8 (with or without BOM), UTF-16 ("Unicode text") or Windows-1252 ("CSV" on Windows).
const CANDIDATES = ['ascii', 'UTF-8', 'UTF-16LE', 'UTF-16BE', 'Windows-1252', 'ISO-8859-1'];
const LABELS: Record<string, string> = { 'utf-16-le': 'utf-16le', 'utf-16-be': 'utf-16be', ascii: 'utf-8', 'iso-8859-1': 'windows-1252' };

/** Turns a file's bytes into text: a BOM decides; else valid UTF-8 is UTF-8; else jschardet picks among the usual encodings. */
export function decodeCsvBytes(bytes: Uint8Array): DecodedText {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'UTF-8 (with BOM)' };
  if (a === 0xff && b === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16 LE' };
  if (a === 0xfe && b === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16 BE' };
  const sample = bytes.subarray(0, 64 * 1024);
  const guess = detect(sample, { detectEncodings: CANDIDATES }).encoding?.toLowerCase() ?? '';
  if (guess.startsWith('utf-16')) {
    const label = LABELS[guess] ?? 'utf-16le';
    return { text: new TextDecoder(label).decode(bytes), encoding: label === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'Windows-1252' };
  }
}

export interface ParsedCsv {
  headers: string[];
  /** Data records (a quoted field may span lines); row numbers count the header as row 1. */
  rows: string[][];
  delimiter: string;
}

const csvError = (message: string, details?: Record<string, unknown>) => new AppError('ValidationFailed', message, details);

/** Parses CSV text with papaparse: delimiter detected, any line endings, quoted newlines kept. */
export function parseCsv(text: string): ParsedCsv {
  // Files edited on several systems mix CRLF and LF; papaparse expects one kind.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (normalized.trim() === '') throw csvError('The file is empty.');
  const result = Papa.parse<string[]>(normalized, { delimiter: '', newline: '\n', skipEmptyLines: 'greedy' });
  const fatal = result.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw csvError(`Row ${(fatal.row ?? 0) + 1}: ${fatal.message}. Check the quotes in that row.`, { row: (fatal.row ?? 0) + 1 });
  const [head, ...rows] = result.data;
  const headers = (head ?? []).map((h) => h.trim());
  if (headers.every((h) => h === '')) throw csvError('The first row must name the columns (e.g. First name, Email).');
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = h.toLowerCase();
    const first = seen.get(key);
    if (h && first !== undefined) {
      throw csvError(`The column “${h}” appears twice (columns ${first + 1} and ${i + 1}). Rename one of them and import again.`, {
        column: h,
      });
    }
    seen.set(key, i);
  });
  if (rows.length === 0) throw csvError('The file has a header row but no leads under it.');
  return { headers, rows, delimiter: result.meta.delimiter };
}

/** Applies the header → field mapping: what the engine receives, one entry per CSV record. */
export function toLeadRows(csv: ParsedCsv, columns: Record<string, LeadCsvField>): LeadCsvRow[] {
  const picks = csv.headers.flatMap((h, i) => {
    const field = columns[h];
    return field ? [[i, field] as const] : [];
  });
  return csv.rows.map((cells, r) => {
    const values: Partial<Record<LeadCsvField, string>> = {};
    for (const [i, field] of picks) {
      const cell = restoreCell(cells[i]?.trim() ?? '');
      if (cell) values[field] = values[field] ? `${values[field]}, ${cell}` : cell;
    }
    return { row: r + 2, values };
  });
}

/** The downloadable error report: row number, column, problem. */
export function problemsCsv(problems: { row: number; column: string; problem: string }[]): string {
  return Papa.unparse(
    { fields: ['Row', 'Column', 'Problem'], data: problems.map((p) => [p.row, p.column, p.problem]) },
    { newline: '\r\n' },
  );
}
