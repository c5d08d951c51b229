import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenLocally } from './local-server.js';

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/environments/cgap-mastertest/releases?limit=5`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Answers `METHOD /path` (query ignored) with a fixed reply, or the next of a sequence (the last one repeats). */
export type FakeRoutes = Record<string, FakeReply | FakeReply[]>;

export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

/** A stand-in for the conductor API on a free port, recording what the CLI sends. */
export async function startFakeApi(routes: FakeRoutes): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const served = new Map<string, number>();
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = incoming.url ?? '/';
      requests.push({
        method: incoming.method ?? '',
        url,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const key = `${incoming.method ?? ''} ${url.split('?')[0] ?? ''}`;
      const route = routes[key];
      const count = served.get(key) ?? 0;
      served.set(key, count + 1);
      const reply: FakeReply = Array.isArray(route)
        ? (route[Math.min(count, route.length - 1)] ?? { status: 500 })
        : (route ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${key}` } } });
      outgoing.writeHead(reply.status, {
        'content-type': 'application/json',
        'x-request-id': `req-${requests.length}`,
        ...reply.headers,
      });
      outgoing.end(
        reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
      );
    });
  });
  const { url, close } = await listenLocally(server, 'fake API');
  return {
    url,
    requests,
    close,
  };
}
