import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';

const ROOT = resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** A real SMTP server on loopback that keeps every message it accepts, parsed. */
export class Mailbox {
  messages: ParsedMail[] = [];
  rejectRecipients = new Set<string>();
  /** When set, every message is refused at MAIL FROM with this reply (a provider throttling the mailbox). */
  refuseMail: { code: number; message: string } | null = null;
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom: (_address, _session, cb) => {
        cb(this.refuseMail ? Object.assign(new Error(this.refuseMail.message), { responseCode: this.refuseMail.code }) : undefined);
      },
      onRcptTo: (address, _session, cb) => {
        if (this.rejectRecipients.has(address.address)) {
          const err = Object.assign(new Error('5.1.1 User unknown'), { responseCode: 550 });
          cb(err);
          return;
        }
        cb();
      },
      onData: (stream, _session, cb) => {
        simpleParser(stream).then(
          (mail) => {
            this.messages.push(mail);
            cb();
          },
          (err: Error) => cb(err),
        );
      },
    });
  }

  async start(port = 0): Promise<number> {
    await new Promise<void>((ok) => this.server.listen(port, '127.0.0.1', ok));
    this.port = (this.server.server.address() as { port: number }).port;
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  async waitFor(count: number, timeoutMs = 20_000): Promise<ParsedMail[]> {
    const end = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > end) throw new Error(`expected ${count} emails, got ${this.messages.length}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.messages;
  }
}

/** The web host (`npm run web`), built beforehand, started with the test clock. */
export class WebHost {
  url = '';
  token = '';
  origin = '';
  private child: ChildProcess | null = null;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'ap-e2e-'));

  async start(): Promise<void> {
    const entry = join(ROOT, 'out/main/web.js');
    if (!existsSync(entry)) throw new Error('Build first (npm run build): out/main/web.js is missing');
    const port = await freePort();
    this.child = spawn(process.execPath, [entry, '--port', String(port), '--test-mode', '--data-dir', this.dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.url = await new Promise<string>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`web host did not start: ${out}`)), 15_000);
      const onData = (b: Buffer) => {
        out += b.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          ok(m[1]);
        }
      };
      this.child!.stdout!.on('data', onData);
      this.child!.stderr!.on('data', onData);
      this.child!.once('exit', (code) => fail(new Error(`web host exited with ${code}: ${out}`)));
    });
    this.origin = new URL(this.url).origin;
    this.token = new URL(this.url).hash.replace('#token=', '');
  }

  /** Moves the engine's clock forward (exists only with --test-mode). */
  async advanceClock(ms: number): Promise<void> {
    const res = await fetch(`${this.origin}/api/test/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: ms }),
    });
    if (!res.ok) throw new Error(`clock advance failed: ${res.status}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function openApp(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(url);
  // A new account opens on the first-run choice; an account already set up opens on its screens.
  await page
    .getByRole('navigation', { name: 'Main' })
    .or(page.getByRole('heading', { name: 'Welcome to Action Plans' }))
    .waitFor();
  return page;
}

/** First run, "I work alone": the user becomes the primary manager of a one-person account. */
export async function workAlone(page: Page, name: string, email: string, zone = 'America/New_York'): Promise<void> {
  const form = page.getByRole('form', { name: 'I work alone' });
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Your email').fill(email);
  await form.getByLabel('Your time zone').selectOption(zone);
  await form.getByRole('button', { name: 'Start working alone' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

/** Fills Settings → Email account for the loopback SMTP server (saving is left to the caller). */
export async function fillEmailAccount(page: Page, port: number): Promise<void> {
  await page.getByLabel('SMTP server').fill('127.0.0.1');
  await page.getByLabel('Port', { exact: true }).fill(String(port));
  await page.getByLabel('Security').selectOption('none');
  await page.getByLabel('From name').fill('Jane Agent');
  await page.getByLabel('From address').fill('jane@example.com');
}
