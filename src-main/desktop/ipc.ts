import { IPC } from '@shared/bridge';
import { toErrorShape } from '@shared/rpc/errors';
import type { Host, HostReply } from '../host';
import type { ElectronLike, IpcInvokeEvent, Logger } from './electron-like';

export interface IpcDeps {
  host: Host;
  /** True only for the engine window's own page. */
  isEngineSender(event: IpcInvokeEvent): boolean;
  /** True only for a UI window's own page. */
  isUiSender(event: IpcInvokeEvent): boolean;
  openExternal(url: string): Promise<void>;
  log: Logger;
}

const refused = (what: string): HostReply => ({
  ok: false,
  error: { code: 'PermissionDenied', message: `${what} is only accepted from the app's engine page` },
});

/**
 * The only IPC main answers. Every handler checks who is asking: the host adapters send email with the
 * user's password, so a page other than our engine (an injected frame, the UI) must never reach them.
 */
export function registerIpc(ipcMain: ElectronLike['ipcMain'], deps: IpcDeps): void {
  // The reply is returned, not thrown: Electron flattens errors thrown here into a string, and the engine
  // needs the ErrorShape's code and details to tell the user what to fix.
  ipcMain.handle(IPC.hostCall, async (event, method: unknown, params: unknown): Promise<HostReply> => {
    if (!deps.isEngineSender(event)) {
      deps.log.warn('Refused a host call from a page that is not the engine', event.senderFrame?.url ?? '(no frame)');
      return refused('A host call');
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'ValidationFailed', message: 'A host call needs a method name' } };
    try {
      return await deps.host.call(method, params);
    } catch (err) {
      return { ok: false, error: toErrorShape(err) };
    }
  });

  ipcMain.handle(IPC.openExternal, async (event, url: unknown): Promise<void> => {
    if (!deps.isUiSender(event)) {
      deps.log.warn('Refused to open a link for a page that is not the app', event.senderFrame?.url ?? '(no frame)');
      throw new Error('Links can only be opened from the app window');
    }
    if (typeof url !== 'string') throw new Error('A link to open must be a URL');
    await deps.openExternal(url);
  });
}
