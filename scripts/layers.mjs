#!/usr/bin/env node
// Prints every import that crosses a process boundary the wrong way (docs/design.md §4) and exits 1
// when there is one. ESLint's no-restricted-imports per folder (eslint.config.mjs) says the same in the
// editor; this script is the whole check in one line per crossing, and `npm run lint` runs it.
// Usage: node scripts/layers.mjs [project-root]
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? '.');

/** Where a file runs, what it may not reach, and why. The first rule whose folder holds the file applies. */
export const RULES = [
  {
    at: 'src-renderer/engine/',
    noDirs: ['src-renderer/ui/', 'src-main/', 'src-preload/'],
    noPackages: ['react', 'react-dom', 'zustand', 'electron', '@tanstack/react-table', '@tanstack/react-virtual'],
    noNode: true,
    why: 'the engine runs in a worker or hidden window: no UI, no Electron, no Node',
  },
  {
    at: 'src-renderer/ui/',
    noDirs: ['src-renderer/engine/', 'src-main/', 'src-preload/'],
    noPackages: ['electron', 'dexie'],
    noNode: true,
    why: 'the UI reaches the engine only through the contract in src-shared',
  },
  {
    at: 'src-shared/',
    noDirs: ['src-renderer/', 'src-main/', 'src-preload/'],
    noPackages: ['react', 'react-dom', 'electron', 'dexie', 'zustand'],
    noNode: true,
    why: 'src-shared is imported by every process, so it depends on none',
  },
  {
    at: 'src-main/',
    noDirs: ['src-renderer/', 'src-preload/'],
    noPackages: ['react', 'react-dom', 'dexie', 'zustand'],
    noNode: false,
    why: 'main is the Node host: it never loads renderer code',
  },
  {
    at: 'src-preload/',
    noDirs: ['src-renderer/', 'src-main/'],
    noPackages: ['react', 'dexie'],
    noNode: true,
    why: 'a preload is a tiny bridge: electron and src-shared only',
  },
];

const nodeBuiltins = new Set(builtinModules);
const isNodeBuiltin = (spec) => spec.startsWith('node:') || nodeBuiltins.has(spec.split('/')[0]);
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const toPosix = (p) => p.split(sep).join('/');

/** tsconfig files are JSON with comments and trailing commas. */
function readTsconfig(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let k = i + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      out += text.slice(i, k + 1);
      i = k;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return null;
  }
}

/** Path aliases (`@shared/*` → `src-shared/*`) from the project's tsconfig files. */
function aliasesOf(projectRoot) {
  const aliases = [];
  for (const name of ['tsconfig.json', 'tsconfig.web.json', 'tsconfig.node.json']) {
    const options = readTsconfig(join(projectRoot, name))?.compilerOptions ?? {};
    const base = join(projectRoot, options.baseUrl ?? '.');
    for (const [key, targets] of Object.entries(options.paths ?? {}))
      if (Array.isArray(targets) && targets[0]) aliases.push([key.replace(/\*$/, ''), join(base, targets[0].replace(/\*$/, ''))]);
  }
  return aliases;
}

function sourceFiles(dir, out = []) {
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (/\.(m|c)?[tj]sx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const importRe =
  /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|(?:^|[^\w.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every wrong-way import of the project at `projectRoot`, as "file: 'spec' reason (why)" lines. */
export function crossings(projectRoot) {
  const aliases = aliasesOf(projectRoot);
  const files = ['src-main', 'src-preload', 'src-renderer', 'src-shared'].flatMap((d) => sourceFiles(join(projectRoot, d)));
  const found = [];
  for (const file of files) {
    const rel = toPosix(relative(projectRoot, file));
    const rule = RULES.find((r) => rel.startsWith(r.at));
    if (!rule) continue;
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    for (const m of source.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (/^\W*(import|export)\s+type\b/.test(m[0])) continue; // type-only imports vanish at build
      if (/\?(shared)?worker\b/.test(spec)) continue; // starting the engine's worker is how the UI reaches it
      let target = null;
      if (spec.startsWith('.')) target = resolve(dirname(file), spec);
      else {
        const alias = aliases.find(([key]) => spec === key.replace(/\/$/, '') || spec.startsWith(key));
        if (alias) target = join(alias[1], spec.slice(alias[0].length));
      }
      let reason = null;
      if (target) {
        const t = `${toPosix(relative(projectRoot, target))}/`;
        const dir = rule.noDirs.find((d) => t.startsWith(d));
        if (dir) reason = `reaches ${dir}`;
      } else if (rule.noNode && isNodeBuiltin(spec)) reason = 'uses a Node built-in';
      else if (rule.noPackages.includes(packageOf(spec))) reason = `uses ${packageOf(spec)}`;
      if (reason) found.push(`${rel}: '${spec}' ${reason} (${rule.why})`);
    }
  }
  return { files: files.length, found };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, found } = crossings(root);
  for (const line of found) console.log(line);
  console.log(`layers: ${files} files read, ${found.length} crossings`);
  process.exit(found.length ? 1 : 0);
}
