import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request as the test server received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Route = (req: ReceivedRequest, res: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 at a free port: the webhook endpoint or the SMS gateway of a test. */
export interface TestHttp {
  url: string;
  received: ReceivedRequest[];
  /** Replaces how the server answers. */
  route: Route;
  close(): Promise<void>;
}

export async function startTestHttp(route: Route = (_req, res) => res.end('ok')): Promise<TestHttp> {
  const received: ReceivedRequest[] = [];
  const state = { route };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      state.route(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get route() {
      return state.route;
    },
    set route(r: Route) {
      state.route = r;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
