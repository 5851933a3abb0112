import type { RecordedRequest } from '@shared/model/channels';
import { AppError } from '@shared/rpc/errors';
import type { ChannelErrorCode } from '@shared/contract/host';

/** Redirects are followed by hand so a loop or a hop to another scheme is caught and reported. */
export const MAX_REDIRECTS = 3;
/** How much of a server's answer is kept: enough to read an error message, small enough to store per attempt. */
export const EXCERPT_CHARS = 500;
export const MASK = '••••••';

/** Header names whose values are credentials even when the user did not mark them secret. */
const SENSITIVE = /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$|token|secret|password|signature/i;

export interface HttpRequest {
  method: string;
  url: string;
  headers: { name: string; value: string }[];
  /** Header names whose values must never be recorded. */
  secretNames: ReadonlySet<string>;
  body: string | null;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  text: string;
  contentType: string | null;
  excerpt: string;
  durationMs: number;
  recorded: RecordedRequest;
}

export function maskRequest(req: Pick<HttpRequest, 'method' | 'url' | 'headers' | 'secretNames' | 'body'>): RecordedRequest {
  const secret = new Set([...req.secretNames].map((n) => n.toLowerCase()));
  return {
    method: req.method,
    url: maskUrl(req.url),
    headers: req.headers.map((h) => ({ name: h.name, value: secret.has(h.name.toLowerCase()) || SENSITIVE.test(h.name) ? MASK : h.value })),
    body: req.body,
  };
}

/** A password in the URL (https://user:pass@host) is a secret too. */
function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    return u.toString();
  } catch {
    return url;
  }
}

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

export function httpFailure(
  deliveryCode: ChannelErrorCode,
  message: string,
  extra: { retryable: boolean; status?: number; response?: string; durationMs?: number; request: RecordedRequest },
): AppError {
  return new AppError('DeliveryFailed', message, { deliveryCode, ...extra });
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'server name not found',
  EAI_AGAIN: 'server name could not be looked up',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
};

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (NETWORK[code]) return NETWORK[code];
  if (/CERT|SSL|TLS/i.test(code)) return `TLS problem: ${code}`;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/**
 * One HTTP exchange with a timeout over the whole exchange (redirects included), following at most
 * MAX_REDIRECTS redirects by hand. Any status comes back as an answer; only "no usable answer" throws.
 */
export async function httpCall(req: HttpRequest): Promise<HttpAnswer> {
  const recorded = maskRequest(req);
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  let url = req.url;
  let method = req.method;
  let body = req.body;
  const seen = new Set<string>([url]);
  try {
    for (let hop = 0; ; hop++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: req.headers.map((h) => [h.name, h.value] as [string, string]),
          body: method === 'GET' ? undefined : body,
          redirect: 'manual',
          signal: controller.signal,
        });
      } catch (err) {
        if (controller.signal.aborted) {
          throw httpFailure('HttpTimeout', `No answer from ${host(url)} within ${req.timeoutMs / 1000} s.`, {
            retryable: true,
            durationMs: elapsed(),
            request: recorded,
          });
        }
        throw httpFailure('HttpUnreachable', `Could not reach ${host(url)}: ${networkReason(err)}.`, {
          retryable: true,
          durationMs: elapsed(),
          request: recorded,
        });
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        const next = new URL(location, url).toString();
        if (seen.has(next) || hop + 1 > MAX_REDIRECTS) {
          throw httpFailure(
            'HttpRedirectLoop',
            seen.has(next)
              ? `${host(url)} redirects in a loop (${[...seen, next].map(pathOf).join(' → ')}).`
              : `${host(url)} redirected more than ${MAX_REDIRECTS} times.`,
            { retryable: false, status: res.status, durationMs: elapsed(), request: recorded },
          );
        }
        if (!/^https?:$/.test(new URL(next).protocol)) {
          throw httpFailure('HttpRedirectLoop', `${host(url)} redirected to a non-web address (${next}).`, {
            retryable: false,
            status: res.status,
            durationMs: elapsed(),
            request: recorded,
          });
        }
        seen.add(next);
        // 303 (and historically 301/302 after POST) turns the request into a GET without a body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method !== 'GET')) {
          method = 'GET';
          body = null;
        }
        url = next;
        continue;
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (controller.signal.aborted) {
          throw httpFailure('HttpTimeout', `${host(url)} did not finish its answer within ${req.timeoutMs / 1000} s.`, {
            retryable: true,
            status: res.status,
            durationMs: elapsed(),
            request: recorded,
          });
        }
        throw httpFailure('HttpBadAnswer', `${host(url)} broke off its answer: ${networkReason(err)}.`, {
          retryable: true,
          status: res.status,
          durationMs: elapsed(),
          request: recorded,
        });
      }
      return {
        status: res.status,
        text,
        contentType: res.headers.get('content-type'),
        excerpt: excerpt(text),
        durationMs: elapsed(),
        recorded,
      };
    }
  } finally {
    clearTimeout(timer);
  }
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** HTTP statuses worth trying again later: the server is busy or briefly broken, not refusing this request. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
