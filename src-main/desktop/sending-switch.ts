import type { Logger } from './electron-like';
import type { EngineClient } from './engine-window';

export interface SendingSwitch {
  refresh(): void;
  set(paused: boolean): void;
}

/** The engine's account-wide pause switch as the tray shows it: read after every change, set from the checkbox. */
export function sendingSwitch(
  currentClient: () => EngineClient | null,
  log: Logger,
  show: (paused: boolean | null) => void,
): SendingSwitch {
  let reading = false;
  let readAgain = false;

  async function read(): Promise<void> {
    const client = currentClient();
    if (!client) return;
    const { paused } = await client.call('settings.sending.get', {});
    // An answer from an engine that has since been replaced says nothing about the new one.
    if (currentClient() === client) show(paused);
  }

  /** Engine change events can come in bursts: at most one read in flight, one more queued. */
  function refresh(): void {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    read()
      .catch((err: unknown) => log.warn('Could not read whether sending is paused', err))
      .finally(() => {
        reading = false;
        if (readAgain) {
          readAgain = false;
          refresh();
        }
      });
  }

  function set(paused: boolean): void {
    const client = currentClient();
    if (!client) return;
    client
      .call('settings.sending.set', { paused })
      .then((state) => {
        log.info(paused ? 'Sending paused from the tray' : 'Sending resumed from the tray');
        if (currentClient() === client) show(state.paused);
      })
      .catch((err: unknown) => {
        log.error('Could not change whether sending is paused', err);
        refresh();
      });
  }

  return { refresh, set };
}
