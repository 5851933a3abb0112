import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A CouchDB-compatible team server on loopback for the tests and benchmarks: `pouchdb-server
 * --in-memory` from npm (CouchDB's HTTP API, _users and sessions, database security,
 * validate_doc_update and the _replicator), with a server administrator; started through
 * pouchdb-server.cjs, which fixes its one bug that matters here (replicated updates dropped). When COUCHDB_URL names an
 * Apache CouchDB (with COUCHDB_ADMIN=user:password), that one is used instead.
 */
export interface CouchServer {
  url: string;
  admin: { user: string; password: string };
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`the test CouchDB server did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startCouch(): Promise<CouchServer> {
  const external = process.env.COUCHDB_URL;
  if (external) {
    const [user, password] = (process.env.COUCHDB_ADMIN ?? 'admin:password').split(':') as [string, string];
    return { url: external.replace(/\/$/, ''), admin: { user, password }, stop: () => Promise.resolve() };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'couch-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'test/support/pouchdb-server.cjs'),
      '--in-memory',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--no-stdout-logs',
      '--dir',
      dir,
      '--config',
      join(dir, 'config.json'),
    ],
    // A clean environment: the test runner's own settings (NODE_OPTIONS and the like) stay out of the server.
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir } },
  );
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/`, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }
  const admin = { user: 'admin', password: 'test-admin-password' };
  const res = await fetch(`${url}/_config/admins/${admin.user}`, { method: 'PUT', body: JSON.stringify(admin.password) });
  if (!res.ok) throw new Error(`could not create the test server's administrator: ${res.status} ${await res.text()}`);
  return {
    url,
    admin,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((ok) => {
          child.once('exit', () => ok());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
