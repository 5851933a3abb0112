import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '@shared/rpc/errors';

/** A refusal with its HTTP status; the body is a HostReply-shaped error so the engine reads every answer the same way. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

export function sendRefusal(res: ServerResponse, refusal: HttpRefusal): void {
  // An oversized body is left unread: closing the connection is cheaper than draining it.
  const extra: Record<string, string> = refusal.status === 413 ? { Connection: 'close' } : {};
  sendJson(res, refusal.status, { ok: false, error: { code: refusal.code, message: refusal.message } }, extra);
}

/** Reads a JSON body of at most `limit` bytes; an empty body reads as `{}` (methods without params). */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = new HttpRefusal(413, 'ValidationFailed', `The request body is larger than ${limit / 1024 / 1024} MB.`);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpRefusal(400, 'ValidationFailed', 'The request body is not valid JSON.');
  }
}
