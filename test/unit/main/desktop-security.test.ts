import { describe, expect, it } from 'vitest';
import type { RendererSource } from '../../../src-main/desktop/security';
import {
  cspHeader,
  isAllowedExternalUrl,
  isAllowedPermission,
  isAppUrl,
  pageUrl,
  rendererSource,
} from '../../../src-main/desktop/security';

const built: RendererSource = { kind: 'files', dir: '/opt/action plans/out/renderer' };
const dev: RendererSource = { kind: 'devServer', origin: 'http://localhost:5173' };

describe('where the pages come from', () => {
  it('the dev server when electron-vite dev runs, the built files otherwise', () => {
    expect(rendererSource('http://localhost:5173/', '/x')).toEqual(dev);
    expect(rendererSource(undefined, '/opt/app/out/renderer')).toEqual({ kind: 'files', dir: '/opt/app/out/renderer' });
    expect(rendererSource('', '/opt/app/out/renderer').kind).toBe('files');
  });

  it('page addresses are file URLs in a build and dev-server URLs in development', () => {
    expect(pageUrl(built, 'engine.html')).toBe('file:///opt/action%20plans/out/renderer/engine.html');
    expect(pageUrl(dev, 'index.html')).toBe('http://localhost:5173/index.html');
  });
});

describe('isAppUrl: what counts as our own page', () => {
  it('our two pages, with any query or hash', () => {
    expect(isAppUrl('file:///opt/action%20plans/out/renderer/index.html', built)).toBe(true);
    expect(isAppUrl('file:///opt/action%20plans/out/renderer/engine.html?x=1#/a', built)).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html#/leads', dev)).toBe(true);
  });

  it('a specific page only when asked for that page', () => {
    expect(isAppUrl('file:///opt/action%20plans/out/renderer/index.html', built, 'engine.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/engine.html', dev, 'engine.html')).toBe(true);
  });

  it('not other files, other hosts, other ports or look-alikes', () => {
    for (const url of [
      'file:///opt/action%20plans/out/renderer/assets/index.js',
      'file:///tmp/index.html',
      'file:///opt/action%20plans/out/renderer/../renderer2/index.html',
      'http://localhost:5174/index.html',
      'https://localhost:5173/index.html',
      'http://localhost.evil.example:5173/index.html',
      'http://evil.example/index.html',
      'about:blank',
      'not a url',
    ]) {
      expect(isAppUrl(url, url.startsWith('file:') ? built : dev), url).toBe(false);
    }
  });
});

describe('isAllowedExternalUrl: links that may open outside the app', () => {
  it('web pages and email addresses', () => {
    expect(isAllowedExternalUrl('https://example.com/listing?id=1')).toBe(true);
    expect(isAllowedExternalUrl('http://example.com')).toBe(true);
    expect(isAllowedExternalUrl('mailto:lead@example.com?subject=Hi')).toBe(true);
  });

  it('nothing that could run a program or read a file', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://file/x',
      'data:text/html,<b>x</b>',
      'http://',
      'relative/path',
      '',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('content security policy', () => {
  it('a build gets exactly the strict policy', () => {
    expect(cspHeader(built)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('only the dev server allows the React refresh inline script and the hot-reload socket', () => {
    const policy = cspHeader(dev);
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("connect-src 'self' ws://localhost:5173");
    expect(cspHeader(built)).toContain("script-src 'self';");
    expect(cspHeader(built)).not.toContain('ws:');
  });
});

describe('permissions', () => {
  it('notifications only', () => {
    expect(isAllowedPermission('notifications')).toBe(true);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fileSystem', 'unknown']) {
      expect(isAllowedPermission(permission), permission).toBe(false);
    }
  });
});
