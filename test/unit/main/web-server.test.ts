import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortInUseError, startWebHost } from '../../../src-main/web/server';
import type { WebHost, WebHostOptions } from '../../../src-main/web/server';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/web/static-files';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: fetch normalises "/../" away and will not send a forged Host header. */
function send(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

let root: string;
let web: WebHost | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'web-'));
  await mkdir(join(root, 'renderer', 'assets'), { recursive: true });
  await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><title>Action Plans</title>');
  await writeFile(join(root, 'renderer', 'engine.html'), '<!doctype html><title>engine</title>');
  await writeFile(join(root, 'renderer', 'assets', 'app-1234.js'), 'console.log("app")');
  // A file just outside the served folder: traversal attempts aim at it.
  await writeFile(join(root, 'package.json'), '{"secret":"outside-the-renderer"}');
});
afterEach(async () => {
  await web?.close();
  web = undefined;
  await rm(root, { recursive: true, force: true });
});

async function start(overrides: Partial<WebHostOptions> = {}): Promise<WebHost> {
  web = await startWebHost({
    port: 0,
    dataDir: join(root, 'data'),
    rendererDir: join(root, 'renderer'),
    testMode: false,
    version: '0.1.0',
    ...overrides,
  });
  return web;
}

const api = (w: WebHost, method: string, body: unknown, headers: Record<string, string> = {}) =>
  send(w.port, `/api/host/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${w.token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the web host serves the app to this machine only', () => {
  it('prints an address with a fresh token for every launch', async () => {
    const first = await start();
    expect(first.url).toBe(`http://127.0.0.1:${first.port}/#token=${first.token}`);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await first.close();
    expect((await start()).token).not.toBe(first.token);
  });

  it('the app page is served with a strict Content-Security-Policy and is never cached', async () => {
    const w = await start();
    for (const path of ['/', '/index.html', '/engine.html']) {
      const page = await send(w.port, path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await send(w.port, '/')).body).toContain('Action Plans');
  });

  it('scripts are served as JavaScript', async () => {
    const w = await start();
    const script = await send(w.port, '/assets/app-1234.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
  });

  it('no path reaches a file outside the app folder', async () => {
    const w = await start();
    const attempts = [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/package.json',
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2fpackage.json',
      '/..%5cpackage.json',
      '/assets/..%00/package.json',
      '/%',
    ];
    for (const path of attempts) {
      const answer = await send(w.port, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body).not.toContain('outside-the-renderer');
    }
  });

  it('an unknown page is 404', async () => {
    const w = await start();
    expect((await send(w.port, '/nope.html')).status).toBe(404);
  });

  it('a request for another host name (DNS rebinding) is refused', async () => {
    const w = await start();
    for (const host of [`evil.example:${w.port}`, '127.0.0.1:1', `127.0.0.1.evil.example:${w.port}`]) {
      expect((await send(w.port, '/', { headers: { Host: host } })).status).toBe(421);
      expect((await api(w, 'host.info', {}, { Host: host })).status).toBe(421);
    }
    expect((await send(w.port, '/', { headers: { Host: `localhost:${w.port}` } })).status).toBe(200);
  });

  it('a page from another web site cannot call the host, even with the token', async () => {
    const w = await start();
    expect((await api(w, 'host.info', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await api(w, 'host.info', {}, { Origin: 'null' })).status).toBe(403);
    expect((await api(w, 'host.info', {}, { Origin: `http://localhost:${w.port}` })).status).toBe(200);
  });

  it('a missing renderer build answers 404 with how to build it, and the server keeps running', async () => {
    const w = await start({ rendererDir: join(root, 'not-built') });
    const page = await send(w.port, '/');
    expect(page.status).toBe(404);
    expect(page.body).toContain('npm run build');
    expect((await api(w, 'host.info', {})).status).toBe(200);
  });

  it('a port already in use is reported by number', async () => {
    const w = await start();
    await expect(start({ port: w.port })).rejects.toThrow(PortInUseError);
    web = w;
  });
});

describe('host calls over HTTP need the launch token', () => {
  it('an API call without the launch token is refused', async () => {
    const w = await start();
    const missing = await send(w.port, '/api/host/host.info', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'PermissionDenied' } });
    expect((await api(w, 'host.info', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('a call with the token gets the host reply', async () => {
    const w = await start();
    const answer = await api(w, 'host.info', {});
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual({ ok: true, result: { shell: 'web', version: '0.1.0', testMode: false } });
  });

  it('an unknown host method is a NotFound reply', async () => {
    const w = await start();
    expect(JSON.parse((await api(w, 'nope', {})).body)).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });

  it('a body that is not JSON is refused with a JSON error', async () => {
    const w = await start();
    const answer = await api(w, 'host.info', '{not json');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'ValidationFailed' } });
  });

  it('a body over 5 MB is refused', async () => {
    const w = await start();
    const answer = await api(w, 'secrets.set', { name: 'big', value: 'x'.repeat(5 * 1024 * 1024) });
    expect(answer.status).toBe(413);
  });

  it('reading the API with GET is not allowed', async () => {
    const w = await start();
    expect((await send(w.port, '/api/host/host.info', { headers: { Authorization: `Bearer ${w.token}` } })).status).toBe(405);
  });
});

describe('the test clock is for end-to-end tests only', () => {
  const advance = (w: WebHost, body: unknown, token = w.token) =>
    send(w.port, '/api/test/clock', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  it('does not exist without --test-mode', async () => {
    const w = await start();
    expect((await advance(w, { advanceMs: 1000 })).status).toBe(404);
  });

  it('moves forward in test mode, and the engine reads the offset through clock.offset', async () => {
    const w = await start({ testMode: true });
    expect((await advance(w, { advanceMs: 1000 }, 'wrong')).status).toBe(401);
    expect(JSON.parse((await advance(w, { advanceMs: 86_400_000 })).body)).toEqual({ offsetMs: 86_400_000 });
    expect(JSON.parse((await advance(w, { advanceMs: 1000 })).body)).toEqual({ offsetMs: 86_401_000 });
    expect((await advance(w, { advanceMs: -5 })).status).toBe(400);

    const reply = JSON.parse((await api(w, 'clock.offset', {})).body) as unknown;
    expect(reply).toEqual({ ok: true, result: { offsetMs: 86_401_000 } });
    expect(JSON.parse((await api(w, 'host.info', {})).body)).toMatchObject({ result: { testMode: true } });
  });
});
