import type { BackupSettings } from '@shared/contract/exchange';
import type { EngineDeps } from '../deps';
import type { SchedulerLoop } from '../runtime';
import { createBackup } from './backup';

const DAY = 24 * 3_600_000;
const CHECK_EVERY_MS = 3_600_000;
const KEEP_DAYS = 'exchange.backup.keepDays';
const LAST_AUTO = 'exchange.backup.lastAutoAt';
export const DEFAULT_KEEP_DAYS = 14;

export async function readBackupSettings(deps: EngineDeps): Promise<BackupSettings> {
  const [keep, last] = await Promise.all([deps.db.settings.get(KEEP_DAYS), deps.db.settings.get(LAST_AUTO)]);
  return {
    keepDays: typeof keep?.value === 'number' ? keep.value : DEFAULT_KEEP_DAYS,
    lastAutoBackupAt: typeof last?.value === 'number' ? last.value : null,
  };
}

export async function setKeepDays(deps: EngineDeps, keepDays: number): Promise<void> {
  await deps.db.settings.put({ key: KEEP_DAYS, value: keepDays });
}

/** Writes today's backup through the host when the last one is a day old; the host drops those past `keepDays`. */
export async function runAutoBackupIfDue(deps: EngineDeps): Promise<boolean> {
  const { keepDays, lastAutoBackupAt } = await readBackupSettings(deps);
  const now = deps.clock.now();
  if (lastAutoBackupAt !== null && now - lastAutoBackupAt < DAY) return false;
  const text = await createBackup(deps);
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, '-');
  await deps.host.call('backup.write', { name: `auto-${stamp}.json`, text, keepDays });
  await deps.db.settings.put({ key: LAST_AUTO, value: now });
  return true;
}

/** Only the engine that runs the scheduler backs up, so two windows never write two backups. */
export function startAutoBackup(deps: EngineDeps, loop: SchedulerLoop): void {
  let timer: ReturnType<typeof setInterval> | null = null;
  let first: ReturnType<typeof setTimeout> | null = null;
  const check = () => void runAutoBackupIfDue(deps).catch((err: unknown) => console.error('automatic backup failed', err));
  loop.onStateChange((running) => {
    if (running && !timer) {
      first = setTimeout(check, 60_000);
      timer = setInterval(check, CHECK_EVERY_MS);
    } else if (!running && timer) {
      clearInterval(timer);
      if (first) clearTimeout(first);
      timer = null;
    }
  });
}
