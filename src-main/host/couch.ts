import type { CouchReply, CouchRequest } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';
import { httpCall } from './http-call';
import type { SecretStore } from './types';

/**
 * One request to the team's CouchDB server for the engine's replication (PouchDB's HTTP adapter
 * fetches through here) and its setup calls. The password never leaves the host: the engine names
 * the secret, the host reads it and adds the Basic authorization. Any status comes back as an
 * answer; only "no answer" throws (DeliveryFailed with HttpUnreachable / HttpTimeout, in words).
 */
export async function couchRequest(req: CouchRequest, secrets: SecretStore): Promise<CouchReply> {
  const url = new URL(req.url);
  if (!/^https?:$/.test(url.protocol))
    throw new AppError('ValidationFailed', `The team server address must start with http:// or https:// (got ${url.protocol}).`);
  const headers = Object.entries(req.headers).map(([name, value]) => ({ name, value }));
  if (req.auth) {
    const password = await secrets.get(req.auth.passwordSecret);
    if (password === null) {
      throw new AppError(
        'DeliveryFailed',
        'The team server password is not stored on this computer: enter it again in Settings → Team server.',
        {
          deliveryCode: 'SecretMissing',
          retryable: false,
        },
      );
    }
    headers.push({ name: 'Authorization', value: `Basic ${Buffer.from(`${req.auth.user}:${password}`).toString('base64')}` });
  }
  const answer = await httpCall({
    method: req.method,
    url: url.toString(),
    headers,
    secretNames: new Set(['authorization']),
    body: req.body,
    timeoutMs: req.timeoutMs,
  });
  return { status: answer.status, body: answer.text, contentType: answer.contentType };
}
