import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const JOURNAL_FILE = 'sent-journal.jsonl';

const recordSchema = z.object({ key: z.string(), messageId: z.string(), response: z.string(), at: z.string() });
export type SentRecord = z.infer<typeof recordSchema>;

export interface SendOutcome {
  messageId: string;
  response: string;
  /** True when the key was already sent (earlier, or by a concurrent call): nothing went out this time. */
  duplicate: boolean;
}

/**
 * "Never send twice" on the host side: every idempotency key that reached the mail server is
 * appended (and fsynced) to a JSONL file before the send is reported done. The engine's outbox may
 * retry after a crash or a lost reply; the journal turns that retry into a duplicate answer.
 */
export class SentJournal {
  private readonly inFlight = new Map<string, Promise<SendOutcome>>();

  private constructor(
    private readonly path: string,
    private readonly sent: Map<string, SentRecord>,
    /** A crash mid-write can leave the last line without its newline; the next append starts a fresh line. */
    private needsNewline: boolean,
  ) {}

  static async open(dataDir: string): Promise<SentJournal> {
    const path = join(dataDir, JOURNAL_FILE);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new SentJournal(path, parseJournal(text), text.length > 0 && !text.endsWith('\n'));
  }

  get(key: string): SentRecord | undefined {
    return this.sent.get(key);
  }

  /**
   * Runs `send` unless the key is already journalled or being sent right now; concurrent callers
   * with the same key share the first call's outcome instead of sending again.
   */
  once(key: string, send: () => Promise<{ messageId: string; response: string }>): Promise<SendOutcome> {
    const done = this.sent.get(key);
    if (done) return Promise.resolve({ messageId: done.messageId, response: done.response, duplicate: true });
    const running = this.inFlight.get(key);
    if (running) return running.then((r) => ({ ...r, duplicate: true }));
    const attempt = this.sendAndRecord(key, send).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, attempt);
    return attempt;
  }

  /** Resolves when every send in flight has finished (successfully or not). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async sendAndRecord(key: string, send: () => Promise<{ messageId: string; response: string }>): Promise<SendOutcome> {
    const { messageId, response } = await send();
    const record = { key, messageId, response, at: new Date().toISOString() };
    // The message is out: remember it even if the disk write fails, and report the send as done,
    // because an error here would make the outbox retry a message the lead already has.
    this.sent.set(key, record);
    try {
      await this.append(record);
    } catch (err) {
      console.error(`Could not write ${this.path}; a restart may not know that ${key} was sent:`, err);
    }
    return { messageId, response, duplicate: false };
  }

  private async append(record: SentRecord): Promise<void> {
    const line = `${this.needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`;
    const file = await open(this.path, 'a', 0o600);
    try {
      await file.appendFile(line, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    this.needsNewline = false;
  }
}

/** Reads every complete, well-formed record; a torn or foreign line is skipped rather than blocking all sends. */
function parseJournal(text: string): Map<string, SentRecord> {
  const sent = new Map<string, SentRecord>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = recordSchema.safeParse(value);
    if (parsed.success) sent.set(parsed.data.key, parsed.data);
  }
  return sent;
}
