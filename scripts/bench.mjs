#!/usr/bin/env node
/**
 * Runs every benchmark in bench/ (files named *.bench.mjs / *.bench.ts), one after another, each in
 * its own Node process. TypeScript benchmarks are bundled first with rolldown (the engine uses the
 * @shared path alias). Benchmarks print their own figures; this only runs them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const outDir = join(root, 'node_modules', '.cache', 'bench');
mkdirSync(outDir, { recursive: true });

const only = process.argv[2];
const files = readdirSync(benchDir)
  .filter((f) => /\.bench\.(mjs|ts)$/.test(f))
  .filter((f) => !only || f.includes(only))
  .sort();

let failed = 0;
for (const file of files) {
  let entry = join(benchDir, file);
  if (file.endsWith('.ts')) {
    const out = join(outDir, file.replace(/\.ts$/, '.mjs'));
    await build({
      input: entry,
      platform: 'node',
      resolve: { alias: { '@shared': join(root, 'src-shared') } },
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@shared'),
      output: { file: out, format: 'esm' },
      logLevel: 'warn',
    });
    entry = out;
  }
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', entry], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) failed++;
}
if (files.length === 0) console.log('No benchmarks in bench/.');
process.exit(failed ? 1 : 0);
