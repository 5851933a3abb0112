// `npm run web`: builds when the sources changed since the last build, then runs the web host
// (DESIGN §4) with this script's arguments, e.g. `npm run web -- --port 4781 --test-mode`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out');
const stamp = join(out, '.build-stamp');
const webEntry = join(out, 'main', 'web.js');

/** Latest modification time under a file or folder, skipping node_modules and dot-folders. */
function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    latest = Math.max(latest, newest(join(path, entry.name)));
  }
  return latest;
}

function needsBuild() {
  if (!existsSync(webEntry) || !existsSync(join(out, 'renderer', 'index.html'))) return true;
  const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = readdirSync(root).filter((name) => name.startsWith('src-'));
  const inputs = [...sources, 'package.json', 'electron.vite.config.ts'].map((name) => join(root, name));
  return inputs.some((input) => newest(input) > built);
}

if (needsBuild()) {
  // The stamp gets the build's start time, so an edit made while building triggers the next build.
  const startedAt = new Date();
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    console.error('The build failed; the web host was not started.');
    process.exit(build.status ?? 1);
  }
  writeFileSync(stamp, `${startedAt.toISOString()}\n`);
  utimesSync(stamp, startedAt, startedAt);
}

const host = spawn(process.execPath, [webEntry, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => host.kill(signal));
}
host.on('error', (err) => {
  console.error('Could not start the web host:', err);
  process.exit(1);
});
host.on('exit', (code, signal) => {
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 143));
});
