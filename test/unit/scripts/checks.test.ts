import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const scripts = resolve(__dirname, '../../../scripts');

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'checks-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const run = (script: string, root: string) => spawnSync('node', [join(scripts, script), root], { encoding: 'utf8' });

describe('the process-boundary check (scripts/layers.mjs)', () => {
  it('names an engine file that imports React, and fails', () => {
    const root = project({ 'src-renderer/engine/a.ts': "import { useState } from 'react';\nexport const a = useState;\n" });
    const r = run('layers.mjs', root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("src-renderer/engine/a.ts: 'react' uses react");
    expect(r.stdout).toContain('1 crossings');
  });

  it('names a UI file that reaches engine code through a relative path', () => {
    const root = project({ 'src-renderer/ui/b.ts': "import { x } from '../engine/store';\nexport const b = x;\n" });
    expect(run('layers.mjs', root).stdout).toContain("'../engine/store' reaches src-renderer/engine/");
  });

  it('lets type-only imports and main’s use of Node through', () => {
    const root = project({
      'src-renderer/ui/c.ts': "import type { Db } from '../engine/store';\nexport type C = Db;\n",
      'src-main/d.ts': "import { join } from 'node:path';\nexport const d = join;\n",
    });
    const r = run('layers.mjs', root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 crossings');
  });
});

describe('the repository stands on its own (scripts/self-contained.mjs)', () => {
  const repo = (files: Record<string, string>): string => {
    const root = project(files);
    execFileSync('git', ['init', '-q'], { cwd: root });
    return root;
  };

  it('names a README link and a script that point beside the repository', () => {
    const root = repo({
      'README.md': 'See [the design](../notes/DESIGN.md).\n',
      'package.json': JSON.stringify({ scripts: { lint: 'node ../tools/check .' } }),
    });
    const r = run('self-contained.mjs', root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("README.md:1: '../notes/DESIGN.md' is outside the repository");
    expect(r.stdout).toContain("package.json:1: '../tools/check' is outside the repository");
  });

  it('accepts relative paths that stay inside, including a process’s paths from its build folder', () => {
    const root = repo({
      'docs/design.md': 'Back to the [README](../README.md).\n',
      'src-main/index.ts': "const icon = join(__dirname, '../../resources/icon.png');\n",
      'src-renderer/engine/a.ts': "import { b } from '../b';\n",
    });
    const r = run('self-contained.mjs', root);
    expect(r.stdout).toContain('0 paths outside');
    expect(r.status).toBe(0);
  });
});
