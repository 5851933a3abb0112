import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p)) ?? null;

/** Debian's dovecot-imapd, run by the test itself in a temp folder on a free loopback port (DESIGN §6). */
export interface TestDovecot {
  port: number;
  user: string;
  password: string;
  /** Puts a raw RFC 5322 message into the user's INBOX, the way a reply arrives (IMAP APPEND). */
  append(raw: string): Promise<number>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${await readFile(log, 'utf8').catch(() => '')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dovecot did not listen on ${port}: ${await readFile(log, 'utf8').catch(() => '')}`);
}

/** uid/gid of a system user, from /etc/passwd (the mail files belong to the `dovecot` user: Dovecot refuses uid 0). */
async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`The system user "${name}" is missing (install dovecot-imapd)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startTestDovecot(): Promise<TestDovecot> {
  if (!DOVECOT) throw new Error('dovecot is not installed: .ci/run installs dovecot-imapd (apt-get install dovecot-imapd)');
  const dir = await mkdtemp(join(tmpdir(), 'dovecot-'));
  // The login process runs as dovenull and must reach the sockets under base_dir.
  await chmod(dir, 0o755);
  const owner = await systemUser('dovecot');
  for (const sub of ['run', 'state', 'mail']) await mkdir(join(dir, sub));
  await chown(join(dir, 'mail'), owner.uid, owner.gid);
  const port = await freePort();
  const user = 'agent';
  const password = 'secret-pass';
  await writeFile(join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const log = join(dir, 'dovecot.log');
  const conf = join(dir, 'dovecot.conf');
  await writeFile(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${log}
instance_name = test-${port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' });
  await waitForPort(port, child, log);

  return {
    port,
    user,
    password,
    async append(raw) {
      const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
      await client.connect();
      try {
        const res = await client.append('INBOX', raw);
        return res ? Number(res.uid ?? 0) : 0;
      } finally {
        await client.logout();
      }
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A reply as a lead's mail program would write it. */
export function replyMail(o: {
  from: string;
  to: string;
  subject: string;
  text: string;
  inReplyTo?: string;
  headers?: Record<string, string>;
}): string {
  const lines = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@lead.example>`,
    `Date: ${new Date().toUTCString()}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.text,
    '',
  ];
  return lines.join('\r\n');
}
