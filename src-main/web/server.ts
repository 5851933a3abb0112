import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { createHost, createTestClock, FileSecretStore } from '../host';
import type { Host, TestClock } from '../host';
import { HttpRefusal, readJsonBody, sendJson, sendRefusal } from './http';
import { serveStatic } from './static-files';

export const DEFAULT_PORT = 4780;
const BODY_LIMIT = 5 * 1024 * 1024;
/** A backup carries the whole store: 100k leads with their history is a few hundred MB at most. */
const BACKUP_BODY_LIMIT = 1024 * 1024 * 1024;
/** A replication batch to the team server (a plan with hundreds of steps in it is the largest document). */
const COUCH_BODY_LIMIT = 64 * 1024 * 1024;
const clockAdvanceSchema = z.object({ advanceMs: z.number().finite().nonnegative() });

export interface WebHostOptions {
  /** 0 picks a free port (tests); the app itself keeps a fixed port because IndexedDB data belongs to the origin. */
  port: number;
  dataDir: string;
  /** The built renderer (index.html, engine.html, assets/). */
  rendererDir: string;
  testMode: boolean;
  version: string;
}

export interface WebHost {
  /** The address to open, with the launch token in the fragment (never sent to a server, never in a log). */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} on 127.0.0.1 is already in use`);
  }
}

/**
 * Any web page the user visits can send requests to 127.0.0.1. The Host check defeats DNS
 * rebinding (an attacker's name pointed at 127.0.0.1 arrives with the attacker's Host), the Origin
 * check refuses other sites' pages, and the per-launch token guards every API call.
 */
function originRefusal(req: IncomingMessage, port: number): HttpRefusal | null {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!hosts.includes((req.headers.host ?? '').toLowerCase())) {
    return new HttpRefusal(421, 'PermissionDenied', `This server answers only to http://127.0.0.1:${port}/.`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin.toLowerCase() === `http://${h}`)) {
    return new HttpRefusal(403, 'PermissionDenied', 'Requests from other web sites are refused.');
  }
  return null;
}

function tokenCheck(token: string): (req: IncomingMessage) => void {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpRefusal(
        401,
        'PermissionDenied',
        'The launch token is missing or out of date. Open the address the web host printed when it started.',
      );
    }
  };
}

interface Api {
  host: Host;
  testClock: TestClock | undefined;
  authorize(req: IncomingMessage): void;
}

async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, api: Api): Promise<void> {
  if (req.method !== 'POST') throw new HttpRefusal(405, 'NotFound', 'The API takes POST requests only.');
  if (path === '/api/test/clock') {
    if (!api.testClock) throw new HttpRefusal(404, 'NotFound', 'The test clock exists only when the host is started with --test-mode.');
    api.authorize(req);
    const parsed = clockAdvanceSchema.safeParse(await readJsonBody(req, BODY_LIMIT));
    if (!parsed.success) throw new HttpRefusal(400, 'ValidationFailed', 'Send {"advanceMs": <milliseconds, zero or more>}.');
    api.testClock.advance(parsed.data.advanceMs);
    sendJson(res, 200, { offsetMs: api.testClock.offsetMs() });
    return;
  }
  const method = /^\/api\/host\/([\w.-]+)$/.exec(path)?.[1];
  if (!method) throw new HttpRefusal(404, 'NotFound', `No API at ${path}.`);
  api.authorize(req);
  const limit = method === 'backup.write' ? BACKUP_BODY_LIMIT : method === 'couch.request' ? COUCH_BODY_LIMIT : BODY_LIMIT;
  sendJson(res, 200, await api.host.call(method, await readJsonBody(req, limit)));
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port) : err));
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** The web host of DESIGN §4: the built renderer and the host adapters, on 127.0.0.1 only. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const testClock = options.testMode ? createTestClock() : undefined;
  const host = createHost({
    dataDir: options.dataDir,
    secrets: new FileSecretStore(options.dataDir),
    info: { shell: 'web', version: options.version, testMode: options.testMode },
    testClock,
  });
  const token = randomBytes(24).toString('base64url');
  const api: Api = { host, testClock, authorize: tokenCheck(token) };
  let port = options.port;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const refusal =
        err instanceof HttpRefusal ? err : new HttpRefusal(500, 'Internal', 'The web host failed to answer; see its terminal output.');
      if (!(err instanceof HttpRefusal)) console.error('Web host request failed:', err);
      if (res.headersSent) res.destroy();
      else sendRefusal(res, refusal);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const refusal = originRefusal(req, port);
    if (refusal) throw refusal;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/api/')) return handleApi(req, res, path, api);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'NotFound', 'Pages are read with GET.');
    return serveStatic(req, res, options.rendererDir, path);
  }

  port = await listen(server, options.port);
  if (!(await stat(join(options.rendererDir, 'index.html')).catch(() => null))) {
    console.warn(
      `The app's pages are not built: ${join(options.rendererDir, 'index.html')} is missing; pages answer 404 until "npm run build".`,
    );
  }

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((done) => server.close(() => done()));
        server.closeIdleConnections();
        await host.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
