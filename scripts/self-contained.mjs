#!/usr/bin/env node
// The repository stands on its own: a user's clone has nothing beside it, so no file of it may name
// a path outside it. Prints each relative path (../…) in a tracked file that climbs out of the
// repository, resolved from the file's folder, and exits 1 when there is one. `npm run lint` runs it.
// Usage: node scripts/self-contained.mjs [project-root]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEXT = /\.(m?[jt]sx?|c?js|json|md|mjs|ya?ml|html|css|sh|txt)$|(^|\/)(run|\.[\w-]+rc)$/;
const SKIP = new Set(['package-lock.json']);
const CLIMB = /(?:^|[\s'"`(=:,[])((?:\.\.\/)+[\w.@$-][\w./@$-]*)/g;

/** Tracked and new (not ignored) files, as git sees them; without git, nothing to read. */
function repositoryFiles(root) {
  try {
    return execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * The folder a relative path on `line` is read from: the file's own, except for `join(__dirname, …)`
 * in a process's source, which runs from its build folder (src-main/index.ts runs as out/main/index.js).
 */
function baseOf(file, line) {
  const built = /^src-(\w+)\//.exec(file);
  return built && line.includes('__dirname') ? `out/${built[1]}` : dirname(file);
}

export function pathsOutside(root) {
  const found = [];
  for (const file of repositoryFiles(root)) {
    if (SKIP.has(file) || !TEXT.test(file)) continue;
    let text;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue; // listed but deleted in the working tree
    }
    text.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(CLIMB)) {
        const target = resolve(root, baseOf(file, line), m[1]);
        const rel = relative(root, target);
        if (rel.startsWith('..') || isAbsolute(rel)) found.push(`${file}:${i + 1}: '${m[1]}' is outside the repository`);
      }
    });
  }
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = pathsOutside(resolve(process.argv[2] ?? '.'));
  for (const line of found) console.log(line);
  console.log(`self-contained: ${found.length} paths outside the repository`);
  process.exit(found.length ? 1 : 0);
}
