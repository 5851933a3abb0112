import type { HostInfo } from '@shared/contract/host';
import type { ErrorShape } from '@shared/rpc/errors';

/** Where the host keeps passwords: Electron safeStorage in the desktop app, a 0600 file in web mode. */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

/** The clock end-to-end tests move forward; the engine adds its offset to the real time. */
export interface TestClock {
  offsetMs(): number;
  advance(ms: number): void;
}

export interface HostDeps {
  /** Per-user folder for host files (sent journal, secrets in web mode). */
  dataDir: string;
  secrets: SecretStore;
  info: HostInfo;
  /** Shows a desktop notification (Electron); absent in web mode, where the page shows it. Returns whether it was shown. */
  notify?: (n: { title: string; body: string; leadId: string | null }) => boolean;
  /** Present only when the host was started in test mode. */
  testClock?: TestClock;
}

/** What every host call answers: a result, or an error a user can act on. Never a thrown exception. */
export type HostReply = { ok: true; result: unknown } | { ok: false; error: ErrorShape };

export interface Host {
  call(method: string, params: unknown): Promise<HostReply>;
  /** Waits for sends in flight, so a shutdown never cuts one between the server's answer and the journal. */
  close(): Promise<void>;
}
