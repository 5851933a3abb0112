import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The pages run the whole app; nothing but our own files may script, style or frame them. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Maps a request path to a file inside `root`, or null. The raw path is decoded and checked segment
 * by segment (no "..", no hidden files, no backslashes or NULs), then the resolved path must still
 * lie inside root: two independent guards against path traversal, encoded or not.
 */
export function fileFor(root: string, rawPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (!path.startsWith('/') || /[\\\0]/.test(path)) return null;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

function notFound(res: ServerResponse, text: string): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** Serves the built renderer (GET and HEAD); html gets the CSP and is never cached. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, rawPath: string): Promise<void> {
  const file = fileFor(root, rawPath);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    const built = await stat(join(root, 'index.html')).catch(() => null);
    if (!built) {
      notFound(
        res,
        `The app's pages are not built: ${join(root, 'index.html')} is missing. Run "npm run build" (or "npm run web", which builds first), or point --renderer-dir at the built renderer.\n`,
      );
    } else {
      notFound(res, 'Not found\n');
    }
    return;
  }
  const ext = extname(file).toLowerCase();
  const headers: Record<string, string | number> = {
    'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Revalidate everything, html above all: a rebuilt app must never run old pages against a new engine.
    'Cache-Control': 'no-cache',
  };
  if (ext === '.html') headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((done) => {
    createReadStream(file)
      .on('error', () => {
        res.destroy();
        done();
      })
      .on('end', done)
      .pipe(res);
  });
}
