import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError } from '../api-client/api-client.js';
import type { ConsoleAssets } from './bundle.js';
import type { ConsoleProxy } from './proxy.js';
import type { ConsoleSession } from './web/session.js';

/**
 * The console's HTTP server, on 127.0.0.1 only. It serves the page and passes the page's API calls
 * through the proxy. Those calls carry the operator's credentials, so they need the session key the
 * console printed in its URL: another local user, or a web page open in the same browser, has no key
 * (and a cross-site request cannot send the header without a CORS preflight this server never allows).
 */

export interface ConsoleServerOptions {
  port: number;
  assets: ConsoleAssets;
  proxy: ConsoleProxy;
  session: Omit<ConsoleSession, 'routes' | 'error'>;
  /** The session key; random when not given. */
  key?: string;
}

export interface ConsoleServer {
  /** The URL to open, with the session key. */
  url: string;
  origin: string;
  close: () => Promise<void>;
}

export const KEY_HEADER = 'x-console-key';
const MAX_BODY_BYTES = 64 * 1024;
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
};

/** One answer of the server, written by `write`. */
interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

const page = (type: string, body: string): Reply => ({ status: 200, type: `${type}; charset=utf-8`, body });

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
  headers,
});

const refusal = (status: number, code: string, message: string) => json(status, { error: { code, message } });

function write(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { ...SECURITY_HEADERS, 'content-type': reply.type, ...reply.headers });
  response.end(reply.body);
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      resolveBody(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function sameKey(given: string | string[] | undefined, key: string): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given), Buffer.from(key)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const key = options.key ?? randomBytes(24).toString('base64url');
  const { assets, proxy } = options;
  let hosts = new Set<string>();

  async function session(): Promise<ConsoleSession> {
    try {
      return { ...options.session, routes: await proxy.routes() };
    } catch (error) {
      // The API's own words when it answered (e.g. 401 for a wrong token), else why it could not be asked.
      const problem =
        error instanceof ApiError
          ? { code: error.code, message: `GET /openapi.json answered ${error.status}: ${error.message}` }
          : { code: 'API_UNREADABLE', message: error instanceof Error ? error.message : String(error) };
      return { ...options.session, routes: [], error: problem };
    }
  }

  async function answer(request: IncomingMessage): Promise<Reply> {
    // Another Host means a name that resolved to this machine (DNS rebinding): not this console's page.
    if (!hosts.has(request.headers.host ?? '')) return refusal(421, 'WRONG_HOST', 'use the console URL');
    const url = new URL(request.url ?? '/', 'http://console');
    const method = request.method ?? 'GET';
    if (method === 'GET') {
      if (url.pathname === '/' || url.pathname === '/index.html') return page('text/html', assets.html);
      if (url.pathname === '/app.js') return page('text/javascript', assets.js);
      if (url.pathname === '/app.css') return page('text/css', assets.css);
    }
    const isSession = url.pathname === '/console/session';
    if (!isSession && !url.pathname.startsWith('/api/')) return refusal(404, 'NOT_FOUND', 'no such page');
    if (!sameKey(request.headers[KEY_HEADER], key))
      return refusal(401, 'CONSOLE_KEY', 'open the console with the URL it printed (it holds the key)');
    if (isSession) return json(200, await session());
    const body = await readBody(request);
    if (body === undefined) return refusal(413, 'PAYLOAD_TOO_LARGE', 'the body is over 64 KiB');
    const reply = await proxy.forward(method, url.pathname.slice('/api'.length), url.searchParams, body);
    return json(reply.status, reply.body, reply.headers);
  }

  const server: Server = createServer((request, response) => {
    answer(request).then(
      (reply) => {
        write(response, reply);
      },
      (error: unknown) => {
        write(response, refusal(500, 'CONSOLE_ERROR', error instanceof Error ? error.message : String(error)));
      },
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error) => {
      reject(new Error(`cannot serve the console on 127.0.0.1:${options.port}: ${error.message}`));
    });
    server.listen(options.port, '127.0.0.1', resolveListen);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#key=${key}`,
    origin,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => {
          resolveClose();
        });
      }),
  };
}
