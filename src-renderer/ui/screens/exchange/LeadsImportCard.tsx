import { useEffect, useState } from 'react';
import type { LeadImportResult } from '@shared/contract/exchange';
import { CSV_MAX_BYTES, decodeCsvBytes, parseCsv, problemsCsv, toLeadRows } from '@shared/exchange/csv-read';
import type { ParsedCsv } from '@shared/exchange/csv-read';
import { guessField, LEAD_CSV_FIELD_LABELS, LEAD_CSV_FIELDS } from '@shared/exchange/lead-csv';
import type { LeadCsvField } from '@shared/exchange/lead-csv';
import { DropZone, ProgressBar } from '../../components/DropZone';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { Button, Card, ErrorBanner, Field } from '../../components/ui';
import { errorMessage } from '../../lib/errors';
import { downloadText, readFileBytes } from '../../lib/files';
import { userZone } from '../../lib/format';
import { useApp, useClient } from '../../lib/store';
import { useEngineQuery } from '../../lib/use-engine';

interface Loaded {
  fileName: string;
  encoding: string;
  csv: ParsedCsv;
}
type Dedupe = 'merge' | 'skip' | 'create';
const DEDUPE: { value: Dedupe; label: string }[] = [
  { value: 'merge', label: 'Merge into the existing lead' },
  { value: 'skip', label: 'Skip the row' },
  { value: 'create', label: 'Create a second lead' },
];

function guessColumns(headers: string[]): Record<string, LeadCsvField> {
  const out: Record<string, LeadCsvField> = {};
  for (const h of headers) {
    const f = guessField(h);
    if (f && !Object.values(out).includes(f)) out[h] = f;
  }
  return out;
}

/** Leads from a CSV: file → column mapping and preview → import with progress → result and error report. */
export function LeadsImportCard() {
  const client = useClient();
  const toast = useApp((s) => s.toast);
  const saved = useEngineQuery('exchange.csvMappings.list', {}, ['settings']);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [columns, setColumns] = useState<Record<string, LeadCsvField>>({});
  const [dedupe, setDedupe] = useState<Dedupe>('merge');
  const [automations, setAutomations] = useState(true);
  const [zone, setZone] = useState(userZone());
  const [mappingName, setMappingName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<{ id: string; done: number; total: number } | null>(null);
  const [result, setResult] = useState<LeadImportResult | null>(null);

  useEffect(() => {
    if (!running) return;
    return client.on('importProgress', (p) => {
      if (p.importId === running.id) setRunning({ id: p.importId, done: p.done, total: p.total });
    });
  }, [client, running?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  async function onFile(file: File) {
    setError(null);
    setResult(null);
    if (file.size > CSV_MAX_BYTES) {
      setError(`“${file.name}” is larger than ${CSV_MAX_BYTES / 1024 / 1024} MB: split it into smaller files.`);
      return;
    }
    try {
      const decoded = decodeCsvBytes(await readFileBytes(file));
      const csv = parseCsv(decoded.text);
      setLoaded({ fileName: file.name, encoding: decoded.encoding, csv });
      const match = saved.data?.find((m) => Object.keys(m.columns).every((h) => csv.headers.includes(h)));
      setColumns(match ? match.columns : guessColumns(csv.headers));
      if (match) setMappingName(match.name);
    } catch (err) {
      setLoaded(null);
      setError(`“${file.name}”: ${errorMessage(err)}`);
    }
  }

  async function run() {
    if (!loaded) return;
    if (!Object.values(columns).includes('firstName')) {
      setError('Choose the column that holds the first name.');
      return;
    }
    setError(null);
    const id = `import-${Date.now()}`;
    const rows = toLeadRows(loaded.csv, columns);
    setRunning({ id, done: 0, total: rows.length });
    try {
      const byField = Object.fromEntries(Object.entries(columns).map(([h, f]) => [f, h]));
      const r = await client.call('exchange.leads.import', {
        importId: id,
        rows,
        columns: byField,
        dedupe,
        runAutomations: automations,
        defaultTimeZone: zone,
      });
      setResult(r);
      setLoaded(null);
      toast(`${r.cancelled ? 'Import cancelled' : 'Import finished'}: ${resultParts(r).join(', ')}`, r.failed ? 'info' : 'success');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setRunning(null);
    }
  }

  async function saveMapping() {
    try {
      await client.call('exchange.csvMappings.save', { name: mappingName, columns });
      toast(`Mapping “${mappingName}” saved`, 'success');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const csv = loaded?.csv;
  const mapped = csv ? csv.headers.filter((h) => columns[h]) : [];
  return (
    <Card title="Import leads from CSV">
      <p className="muted">
        Exported from another CRM or a spreadsheet. UTF-8, UTF-16 and Windows files are all fine; commas, semicolons or tabs.
      </p>
      <ErrorBanner message={error} />
      {!running ? (
        <DropZone label="Choose a CSV file…" hint="or drop a .csv file here" accept=".csv,.txt,text/csv" onFile={(f) => void onFile(f)} />
      ) : null}
      {running ? (
        <div className="stack" style={{ marginTop: 'var(--s3)' }}>
          <ProgressBar label="Import progress" value={running.done} max={running.total} />
          <div>
            <Button onClick={() => void client.call('exchange.leads.cancelImport', { importId: running.id })}>Cancel import</Button>
          </div>
        </div>
      ) : null}
      {result ? <ImportResult result={result} /> : null}
      {csv && loaded && !running ? (
        <div className="stack" style={{ marginTop: 'var(--s3)' }}>
          <p className="small">
            <strong>{loaded.fileName}</strong> — {csv.rows.length.toLocaleString()} rows, {loaded.encoding}, separated by{' '}
            {csv.delimiter === '\t' ? 'tabs' : `“${csv.delimiter}”`}
          </p>
          {saved.data && saved.data.length > 0 ? (
            <Field label="Saved mapping">
              {(props) => (
                <select
                  {...props}
                  value=""
                  onChange={(e) => {
                    const m = saved.data?.find((x) => x.name === e.target.value);
                    if (m) {
                      setColumns(Object.fromEntries(Object.entries(m.columns).filter(([h]) => csv.headers.includes(h))));
                      setMappingName(m.name);
                    }
                  }}
                >
                  <option value="">Apply a saved mapping…</option>
                  {saved.data?.map((m) => (
                    <option key={m.name} value={m.name}>
                      {m.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <table className="table mapping" aria-label="Column mapping">
            <thead>
              <tr>
                <th scope="col">Column in the file</th>
                <th scope="col">First value</th>
                <th scope="col">Lead field</th>
              </tr>
            </thead>
            <tbody>
              {csv.headers.map((h, i) => (
                <tr key={`${h}-${i}`}>
                  <td>{h || <span className="muted">(no name)</span>}</td>
                  <td className="muted">{csv.rows[0]?.[i] ?? ''}</td>
                  <td>
                    <select
                      aria-label={`Field for column ${h}`}
                      value={columns[h] ?? ''}
                      onChange={(e) => {
                        const next = { ...columns };
                        if (e.target.value) next[h] = e.target.value as LeadCsvField;
                        else delete next[h];
                        setColumns(next);
                      }}
                    >
                      <option value="">Don’t import</option>
                      {LEAD_CSV_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {LEAD_CSV_FIELD_LABELS[f]}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="section-title">Preview</h3>
          <div className="preview-scroll">
            <table className="table" aria-label="Preview of the first rows">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  {mapped.map((h) => (
                    <th key={h} scope="col">
                      {LEAD_CSV_FIELD_LABELS[columns[h]!]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {csv.rows.slice(0, 5).map((r, i) => (
                  <tr key={i}>
                    <td>{i + 2}</td>
                    {mapped.map((h) => (
                      <td key={h}>{r[csv.headers.indexOf(h)] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset className="radio-row">
            <legend>When a lead with the same email or phone exists</legend>
            {DEDUPE.map((d) => (
              <label key={d.value}>
                <input type="radio" name="dedupe" value={d.value} checked={dedupe === d.value} onChange={() => setDedupe(d.value)} />
                {d.label}
              </label>
            ))}
          </fieldset>
          <div className="form-row">
            <Field label="Time zone for rows without one">{(props) => <TimeZoneSelect {...props} value={zone} onChange={setZone} />}</Field>
            <Field label="Save this mapping as" hint="Reused next time a file has the same columns">
              {(props) => <input {...props} type="text" value={mappingName} onChange={(e) => setMappingName(e.target.value)} />}
            </Field>
          </div>
          <label className="switch-row">
            <input type="checkbox" checked={automations} onChange={(e) => setAutomations(e.target.checked)} />
            <span>Run routing rules and plan triggers for the new leads</span>
          </label>
          <div className="exchange-actions">
            <Button tone="primary" onClick={() => void run()}>
              Import {csv.rows.length.toLocaleString()} rows
            </Button>
            <Button disabled={!mappingName.trim()} onClick={() => void saveMapping()}>
              Save mapping
            </Button>
            <Button tone="ghost" onClick={() => setLoaded(null)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}

function resultParts(result: LeadImportResult): string[] {
  return [
    `${result.created.toLocaleString()} added`,
    result.merged ? `${result.merged.toLocaleString()} merged` : '',
    result.skipped ? `${result.skipped.toLocaleString()} duplicates skipped` : '',
    result.failed ? `${result.failed.toLocaleString()} rows with problems` : '',
  ].filter(Boolean);
}

function ImportResult({ result }: { result: LeadImportResult }) {
  const parts = resultParts(result);
  return (
    <div className="stack" style={{ marginTop: 'var(--s3)' }}>
      <div className={`banner ${result.failed ? 'banner-error' : 'banner-success'}`} role="status">
        {result.cancelled ? 'Import cancelled. ' : 'Import finished. '}
        {parts.join(', ')}.
      </div>
      {result.problems.length > 0 ? (
        <>
          <div className="preview-scroll">
            <table className="table" aria-label="Rows with problems">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {result.problems.slice(0, 50).map((p, i) => (
                  <tr key={i}>
                    <td>{p.row}</td>
                    <td>{p.column}</td>
                    <td>{p.problem}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <Button onClick={() => downloadText('import-errors.csv', problemsCsv(result.problems), 'text/csv')}>
              Download error report
            </Button>
          </div>
        </>
      ) : null}
    </div>
  );
}
