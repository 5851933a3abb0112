import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFetchResult } from '@shared/contract/host';
import { createHost, FileSecretStore } from '../../../src-main/host';
import type { Host, HostReply } from '../../../src-main/host';
import { replyMail, startTestDovecot } from './dovecot-test-server';
import type { TestDovecot } from './dovecot-test-server';

let dataDir: string;
let dovecot: TestDovecot;
let host: Host;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'imap-'));
  dovecot = await startTestDovecot();
  host = createHost({ dataDir, secrets: new FileSecretStore(dataDir), info: { shell: 'web', version: 't', testMode: false } });
  await host.call('secrets.set', { name: 'imap-password', value: dovecot.password });
});
afterAll(async () => {
  await host?.close();
  await dovecot?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const account = () => ({
  host: '127.0.0.1',
  port: dovecot.port,
  tls: false,
  user: dovecot.user,
  folder: 'INBOX',
  passwordSecret: 'imap-password',
});
const ok = <T>(r: HostReply): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
};
const fetchNew = async (sinceUid: number | null, uidValidity: number | null, waitMs = 0) =>
  ok<ImapFetchResult>(await host.call('imap.fetchNew', { account: account(), sinceUid, uidValidity, waitMs }));

describe('the host reads replies from the user inbox over IMAP (dovecot)', () => {
  it('mail already in the inbox when watching starts is not taken for replies', async () => {
    await dovecot.append(replyMail({ from: 'old@example.com', to: 'jane@example.com', subject: 'Old', text: 'old mail' }));
    const first = await fetchNew(null, null);
    expect(first.messages).toEqual([]);
    expect(first.lastUid).toBeGreaterThan(0);
  });

  it('a new reply comes back parsed: sender, subject, In-Reply-To, References and text', async () => {
    const start = await fetchNew(null, null);
    await dovecot.append(
      replyMail({
        from: 'Ann Lee <Ann@Example.com>',
        to: 'jane@example.com',
        subject: 'Re: Hello Ann',
        text: 'Yes, call me tomorrow.',
        inReplyTo: '<abc123@example.com>',
      }),
    );
    const next = await fetchNew(start.lastUid, start.uidValidity);
    expect(next.messages).toHaveLength(1);
    expect(next.messages[0]).toMatchObject({
      fromAddress: 'ann@example.com',
      fromName: 'Ann Lee',
      subject: 'Re: Hello Ann',
      inReplyTo: '<abc123@example.com>',
      references: ['<abc123@example.com>'],
      autoReply: null,
    });
    expect(next.messages[0]?.text).toContain('call me tomorrow');
    expect((await fetchNew(next.lastUid, next.uidValidity)).messages).toEqual([]);
  });

  it('an out-of-office answer is flagged as automatic', async () => {
    const start = await fetchNew(null, null);
    await dovecot.append(
      replyMail({
        from: 'ann@example.com',
        to: 'jane@example.com',
        subject: 'Automatic reply: Hello Ann',
        text: 'I am away until Monday.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    const next = await fetchNew(start.lastUid, start.uidValidity);
    expect(next.messages[0]?.autoReply).toBe('Auto-Submitted: auto-replied');
  });

  it('with IDLE the host waits for new mail and answers as soon as it arrives', async () => {
    const start = await fetchNew(null, null);
    expect(start.idle).toBe(true);
    const waiting = fetchNew(start.lastUid, start.uidValidity, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    await dovecot.append(replyMail({ from: 'bob@example.com', to: 'jane@example.com', subject: 'Hi', text: 'hello' }));
    const next = await waiting;
    expect(next.messages.map((m) => m.fromAddress)).toEqual(['bob@example.com']);
  });

  it('a wrong password is reported in words', async () => {
    await host.call('secrets.set', { name: 'imap-wrong', value: 'nope' });
    const r = await host.call('imap.verify', { account: { ...account(), passwordSecret: 'imap-wrong' } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.details).toMatchObject({ deliveryCode: 'ImapAuthFailed' });
      expect(r.error.message).toContain('refused the user name or password');
    }
  });

  it('test connection says what the server reported', async () => {
    const r = ok<{ response: string }>(await host.call('imap.verify', { account: account() }));
    expect(r.response).toMatch(/Logged in to 127\.0\.0\.1\. Folder "INBOX" has \d+ messages; the server supports IDLE/);
  });
});
