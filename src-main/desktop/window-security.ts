import type { WebPreferences } from 'electron';
import { AppError } from '@shared/rpc/errors';
import type { Logger, SessionLike, WebContentsLike } from './electron-like';
import type { RendererSource } from './security';
import { cspHeader, isAllowedExternalUrl, isAllowedPermission, isAppUrl } from './security';

/** Electron's security checklist for every window we open: the page gets no Node, only its preload's bridge. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
  };
}

export interface GuardDeps {
  renderer: RendererSource;
  openExternal(url: string): Promise<void>;
  log: Logger;
}

/** Opens a web or mail link in the user's browser or mail app; anything else is refused with a reason. */
export async function openExternalSafely(url: string, deps: GuardDeps): Promise<void> {
  if (!isAllowedExternalUrl(url)) {
    deps.log.warn('Refused to open an external URL', url);
    throw new AppError('PermissionDenied', 'Only web (http, https) and email (mailto) links can be opened outside the app.', { url });
  }
  await deps.openExternal(url);
}

/** A page of ours never leaves the app: navigation elsewhere is blocked, new windows become external links. */
export function guardWebContents(contents: WebContentsLike, deps: GuardDeps): void {
  const blockForeign = (event: { preventDefault(): void; url: string }): void => {
    if (isAppUrl(event.url, deps.renderer)) return;
    event.preventDefault();
    deps.log.warn('Blocked navigation away from the app', event.url);
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url, deps).catch((err: unknown) => deps.log.warn('A link did not open', url, err));
    return { action: 'deny' };
  });
}

/** Session-wide: our pages get the strict CSP, and no permission but notifications is ever granted. */
export function guardSession(session: SessionLike, renderer: RendererSource): void {
  const policy = cspHeader(renderer);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, renderer)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isAllowedPermission(permission)));
  session.setPermissionCheckHandler((_contents, permission) => isAllowedPermission(permission));
}
