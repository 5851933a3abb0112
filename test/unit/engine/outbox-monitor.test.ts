import { describe, expect, it } from 'vitest';
import { aLead, aPlan, currentUserId, deliveryError, startEngine } from './harness';

async function failedEmail() {
  const t = await startEngine();
  const owner = await currentUserId(t);
  const lead = await t.call('leads.create', aLead());
  const plan = await t.call('plans.create', aPlan(owner));
  await t.call('enrollments.enroll', { leadId: lead.id, planId: plan.id });
  t.host.failWith = deliveryError('550', false, '550 5.1.1 User unknown');
  await t.tick();
  const [message] = await t.call('outbox.list', { leadId: lead.id });
  return { t, lead, plan, message: message! };
}

describe('outbox monitor: retry now, cancel, notifications', () => {
  it('a failed email shows its diagnostics and is sent when retried after the problem is fixed', async () => {
    const { t, message, lead } = await failedEmail();
    expect(message).toMatchObject({ status: 'failed', attempts: 1 });
    expect(message.lastError?.response).toContain('User unknown');
    t.host.failWith = null;
    const retried = await t.call('outbox.retry', { id: message.id });
    expect(retried.status).toBe('queued');
    await t.tick();
    expect(t.host.sent).toHaveLength(1);
    expect((await t.call('outbox.list', { leadId: lead.id }))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a cancelled message is never sent and stays listed as cancelled', async () => {
    const { t, message } = await failedEmail();
    await t.call('outbox.cancel', { id: message.id });
    t.host.failWith = null;
    await t.tick();
    expect(t.host.sent).toHaveLength(0);
    expect(await t.call('outbox.list', { status: 'cancelled' })).toHaveLength(1);
    await expect(t.call('outbox.retry', { id: message.id })).rejects.toMatchObject({ code: 'Conflict' });
  });

  it('the list filters by channel and plan', async () => {
    const { t, plan } = await failedEmail();
    expect(await t.call('outbox.list', { channel: 'email', planId: plan.id })).toHaveLength(1);
    expect(await t.call('outbox.list', { channel: 'sms' })).toHaveLength(0);
  });

  it('the notifications center lists the failure with the lead’s name', async () => {
    const { t } = await failedEmail();
    const items = await t.call('notifications.list', {});
    expect(items[0]).toMatchObject({ leadName: 'Ann Lee', entry: { kind: 'failed' } });
  });
});
