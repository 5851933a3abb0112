import type { CouchRequest, HostTransport } from '@shared/contract/host';
import { AppError } from '@shared/rpc/errors';

/** Where the team server is and who this computer signs in as (the password stays with the host). */
export interface ServerAccount {
  /** e.g. http://127.0.0.1:5984 (no trailing slash, no credentials). */
  url: string;
  user: string;
  passwordSecret: string;
}

export const TEAM_PASSWORD_SECRET = 'teamServer.password';
export const TEAM_ADMIN_SECRET = 'teamServer.adminPassword';

/** A failed exchange with the team server, in words, with the HTTP status when there was an answer. */
export class ServerError extends AppError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly reason: string,
  ) {
    super(status === null ? 'HostUnavailable' : status === 401 || status === 403 ? 'PermissionDenied' : 'DeliveryFailed', message, {
      status,
      reason,
    });
  }
}

export function normalizeUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * A `fetch` for PouchDB's HTTP adapter that goes through the host (Electron main or the web host),
 * which adds the password: the engine never holds it, and web mode needs no CORS on the server.
 * Network failures reject like fetch's own TypeError, so PouchDB treats them as "offline".
 */
export function hostFetch(host: HostTransport, account: ServerAccount): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      if (name.toLowerCase() !== 'authorization') headers[name] = value;
    });
    const body =
      init?.body === undefined || init.body === null
        ? null
        : typeof init.body === 'string'
          ? init.body
          : await new Response(init.body).text();
    let reply;
    try {
      reply = await host.call('couch.request', {
        url,
        method: ((init?.method ?? 'GET').toUpperCase() as CouchRequest['method']) ?? 'GET',
        headers,
        body,
        auth: { user: account.user, passwordSecret: account.passwordSecret },
        timeoutMs: 120_000,
      });
    } catch (err) {
      throw new TypeError(err instanceof Error ? err.message : String(err), { cause: err });
    }
    const empty = reply.status === 204 || reply.status === 304 || init?.method === 'HEAD';
    // Every answer of a CouchDB server is JSON. Anything else (a Wi-Fi sign-in page, a proxy's error
    // page, the wrong address) is no usable answer: said in words, not as PouchDB's JSON parse error.
    if (!empty && !isJson(reply.body)) throw new TypeError(notCouchDb(url, reply.status, reply.contentType, reply.body));
    return new Response(empty ? null : reply.body, {
      status: reply.status,
      headers: reply.contentType ? { 'content-type': reply.contentType } : {},
    });
  };
}

function isJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function notCouchDb(url: string, status: number, contentType: string | null, body: string): string {
  const origin = /^https?:\/\/[^/]+/.exec(url)?.[0] ?? url;
  const html = /html/i.test(contentType ?? '') || /^\s*</.test(body);
  const what = html ? 'a web page' : body.trim() === '' ? 'an empty answer' : 'something';
  const hint =
    html && status < 400
      ? ', or does this network want you to sign in first (as hotel and café Wi-Fi does)'
      : status >= 400
        ? ', or is a proxy in the way'
        : '';
  return `${origin} answered ${status} with ${what}, not CouchDB's JSON: is this the team server's address${hint}?`;
}

/** One JSON request to the server (setup, session, the daily counter), with its error in words. */
export async function couchJson<T>(
  host: HostTransport,
  auth: { url: string; user: string; passwordSecret: string } | { url: string; user: null },
  method: CouchRequest['method'],
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const url = `${normalizeUrl(auth.url)}/${path.replace(/^\//, '')}`;
  let reply;
  try {
    reply = await host.call('couch.request', {
      url,
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
      auth: auth.user ? { user: auth.user, passwordSecret: auth.passwordSecret } : null,
      timeoutMs: 30_000,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ServerError(`The team server at ${auth.url} did not answer: ${reason}`, null, reason);
  }
  let json: unknown;
  try {
    json = reply.body ? JSON.parse(reply.body) : null;
  } catch {
    throw new ServerError(
      `The server at ${auth.url} answered ${reply.status} with something that is not CouchDB's JSON: is this the team server's address?`,
      reply.status,
      'bad_json',
    );
  }
  return { status: reply.status, json: json as T };
}

/** The CouchDB error of an answer, as `reason` (CouchDB's own words) and `error` (its code). */
export function couchReason(json: unknown): { error: string; reason: string } {
  const j = (json ?? {}) as { error?: unknown; reason?: unknown };
  return { error: typeof j.error === 'string' ? j.error : 'unknown', reason: typeof j.reason === 'string' ? j.reason : 'no reason given' };
}
