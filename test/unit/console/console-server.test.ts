import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClientOptions } from '../../../src/api-client/api-client.js';
import { createConsoleProxy } from '../../../src/console/proxy.js';
import { KEY_HEADER, startConsoleServer, type ConsoleServer } from '../../../src/console/server.js';
import { openApiDocument } from '../../../src/handlers/routes/openapi-document.js';
import { apiRoutes } from '../../../src/handlers/routes/index.js';
import { startFakeApi, type FakeApi, type FakeRoutes } from '../../support/fake-api.js';

const KEY = 'test-session-key';
const ASSETS = { html: '<!doctype html><p>console</p>', js: 'console.log(1)', css: 'body{}' };
/** The API's own OpenAPI document, from its route list: what the console learns its routes from. */
const OPENAPI = { status: 200, body: openApiDocument(apiRoutes) };

let api: FakeApi | undefined;
let server: ConsoleServer | undefined;

afterEach(async () => {
  await server?.close();
  await api?.close();
  server = undefined;
  api = undefined;
});

async function consoleFor(routes: FakeRoutes, client: Partial<ApiClientOptions> = { token: 'local-token' }) {
  api = await startFakeApi({ 'GET /openapi.json': OPENAPI, ...routes });
  server = await startConsoleServer({
    port: 0,
    key: KEY,
    assets: ASSETS,
    proxy: createConsoleProxy(createApiClient({ baseUrl: api.url, ...client })),
    session: { api: { url: api.url, auth: 'token' }, plans: {} },
  });
  return { api, server };
}

/** A request to the console as a browser sends it; `host` overrides the Host header. */
function send(
  path: string,
  options: { method?: string; key?: string; body?: string; host?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const url = new URL(path, server?.origin);
  return new Promise((resolveReply, reject) => {
    const outgoing = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(options.key === undefined ? {} : { [KEY_HEADER]: options.key }),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.host === undefined ? {} : { host: options.host }),
        },
      },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        incoming.on('end', () => {
          const isJson = String(incoming.headers['content-type']).startsWith('application/json');
          resolveReply({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: isJson ? JSON.parse(text) : text,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const forwarded = () => api?.requests.filter((recorded) => recorded.url !== '/openapi.json') ?? [];

describe('the console server', () => {
  it('serves the page on 127.0.0.1 and the session with the API routes its OpenAPI document lists', async () => {
    await consoleFor({});
    expect(server?.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server?.url).toBe(`${server?.origin}/#key=${KEY}`);
    const page = await send('/');
    expect(page).toMatchObject({ status: 200, body: ASSETS.html });
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    const session = await send('/console/session', { key: KEY });
    expect(session.body).toMatchObject({ api: { auth: 'token' }, plans: {} });
    expect((session.body as { routes: unknown[] }).routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/environments' },
        { method: 'POST', path: '/environments/{env}/deployments' },
      ]),
    );
  });

  it('forwards an API call with the token and hands back the reply and request id', async () => {
    const body = { environments: [{ name: 'cgap-mastertest' }] };
    await consoleFor({ 'GET /environments': { status: 200, body, headers: { 'x-request-id': 'req-api' } } });
    const reply = await send('/api/environments', { key: KEY });
    expect(reply).toMatchObject({ status: 200, body, headers: { 'x-request-id': 'req-api' } });
    expect(forwarded()).toEqual([expect.objectContaining({ method: 'GET', url: '/environments' })]);
    expect(forwarded()[0]?.headers.authorization).toBe('Bearer local-token');
  });

  it('sends a POST body on and answers the API error as the API said it', async () => {
    const error = {
      error: { code: 'NOT_DEPLOYABLE', message: 'no built release', details: [{ path: 'body.version', message: 'x' }] },
    };
    await consoleFor({ 'POST /environments/cgap-mastertest/deployments': { status: 422, body: error } });
    const reply = await send('/api/environments/cgap-mastertest/deployments', {
      method: 'POST',
      key: KEY,
      body: '{"version":"1.4.0"}',
    });
    expect(reply).toMatchObject({ status: 422, body: error });
    expect(JSON.parse(forwarded()[0]?.body ?? '')).toEqual({ version: '1.4.0' });
  });

  it('signs with SigV4 when told to, as the CLI does against a deployed API', async () => {
    await consoleFor(
      { 'GET /environments': { status: 200, body: { environments: [] } } },
      {
        auth: 'sigv4',
        region: 'us-east-1',
        credentials: () => Promise.resolve({ accessKeyId: 'AKID', secretAccessKey: 'S' }),
      },
    );
    expect((await send('/api/environments', { key: KEY })).status).toBe(200);
    expect(forwarded()[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/us-east-1\/execute-api\//,
    );
  });

  it('forwards nothing without the session key, from another Host, or outside the API routes', async () => {
    await consoleFor({});
    expect(await send('/api/environments')).toMatchObject({ status: 401, body: { error: { code: 'CONSOLE_KEY' } } });
    expect(await send('/api/environments', { key: 'wrong' })).toMatchObject({ status: 401 });
    expect(await send('/api/environments', { key: KEY, host: 'evil.example:80' })).toMatchObject({ status: 421 });
    for (const path of ['/api/admin', '/api/environments/x/../../admin', '/api/environments/a%2F..%2Fb', '/api/']) {
      expect(await send(path, { key: KEY }), path).toMatchObject({
        status: 404,
        body: { error: { code: 'NOT_FOUND' } },
      });
    }
    const wrongMethod = await send('/api/environments', { method: 'DELETE', key: KEY });
    expect(wrongMethod).toMatchObject({ status: 405, headers: { allow: 'GET' } });
    expect(forwarded()).toEqual([]);
  });

  it('tells the page when the API refuses its credentials, in the API’s words', async () => {
    await consoleFor({
      'GET /openapi.json': { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'bad token' } } },
    });
    expect((await send('/console/session', { key: KEY })).body).toMatchObject({
      routes: [],
      error: { code: 'UNAUTHORIZED', message: 'GET /openapi.json answered 401: bad token' },
    });
  });

  it('says when the API cannot be reached, in the API error model', async () => {
    await consoleFor({});
    await api?.close();
    const reply = await send('/api/environments', { key: KEY });
    expect(reply.status).toBe(502);
    expect(reply.body).toMatchObject({
      error: { code: expect.stringMatching(/API_UNREACHABLE|CONSOLE_PROXY_FAILED/) as unknown },
    });
    api = undefined;
  });
});
