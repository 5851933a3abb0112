import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The pure checks behind Electron's security checklist: which URLs are our own pages, which links may leave
 * the app, the content security policy, the permissions a page may get.
 */

/** Where the renderer pages come from: electron-vite's dev server, or the built files next to main. */
export type RendererSource = { kind: 'devServer'; origin: string } | { kind: 'files'; dir: string };

export type AppPage = 'index.html' | 'engine.html';
const appPages: readonly AppPage[] = ['index.html', 'engine.html'];

/** `electron-vite dev` sets ELECTRON_RENDERER_URL; a build loads out/renderer/ from disk. */
export function rendererSource(devServerUrl: string | undefined, builtDir: string): RendererSource {
  return devServerUrl ? { kind: 'devServer', origin: new URL(devServerUrl).origin } : { kind: 'files', dir: builtDir };
}

export function pageUrl(source: RendererSource, page: AppPage): string {
  return source.kind === 'devServer' ? `${source.origin}/${page}` : pathToFileURL(join(source.dir, page)).href;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for one of our pages (or the given one); query and hash do not matter, any other path or origin does. */
export function isAppUrl(url: string, source: RendererSource, page?: AppPage): boolean {
  const actual = parse(url);
  if (!actual) return false;
  return (page ? [page] : appPages).some((p) => {
    const expected = new URL(pageUrl(source, p));
    return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
  });
}

const externalProtocols = new Set(['http:', 'https:', 'mailto:']);

/** Only web pages and mail links go to the user's browser or mail app: file:, custom schemes and the like could run programs. */
export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parse(url);
  if (!parsed || !externalProtocols.has(parsed.protocol)) return false;
  return parsed.protocol === 'mailto:' || parsed.hostname !== '';
}

const productionPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The Content-Security-Policy of our pages. Under the dev server, Vite's React refresh preamble is an
 * inline script and hot reload talks over a websocket, so only there those two are allowed.
 */
export function cspHeader(source: RendererSource): string {
  const policy = { ...productionPolicy };
  if (source.kind === 'devServer') {
    policy['script-src'] = [...policy['script-src'], "'unsafe-inline'"];
    policy['connect-src'] = [...policy['connect-src'], source.origin.replace(/^http/, 'ws')];
  }
  return Object.entries(policy)
    .map(([directive, values]) => `${directive} ${values.join(' ')}`)
    .join('; ');
}

/** Webhook failures raise a desktop notification (DESIGN §3); no page needs camera, location or anything else. */
export function isAllowedPermission(permission: string): boolean {
  return permission === 'notifications';
}
