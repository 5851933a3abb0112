/** JSON with object keys sorted at every depth: the same content always gives the same text (and hash). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * `canonicalJson` of `{ table: rows }`, the very same text, built a slice of rows at a time with a
 * pause between slices: a 100k-lead store takes seconds to write out, and the engine keeps answering
 * the leads table meanwhile instead of freezing it.
 */
export async function canonicalTablesJson(tables: Record<string, unknown[]>): Promise<string> {
  const parts: string[] = [];
  for (const name of Object.keys(tables).sort()) {
    const rows = tables[name]!;
    const out: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      out.push(rows[i] === undefined ? 'null' : canonicalJson(rows[i]));
      if (i % 1_000 === 999) await new Promise((r) => setTimeout(r, 0));
    }
    parts.push(`${JSON.stringify(name)}:[${out.join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
