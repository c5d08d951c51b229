import { beforeAll, describe, expect, it } from 'vitest';
import { call, emulatorSnapshot, type HttpCall } from '../support/local-api.js';
import { TOKENS } from '../support/local-tokens.js';
import { sharedLocalMode, type LocalModeInUse } from '../support/shared-local-mode.js';

/**
 * The HTTP API over real HTTP, as an operator or the CLI meets it: serverless-offline in front of the
 * api Lambda, the emulator behind it. Every status of the error model, every route's 401 and 403
 * (enumerated from the served OpenAPI document), and that refused requests changed nothing.
 * 409 and 503 come from conflicts and AWS throttling, which this emulator does not produce on demand:
 * 409 belongs to the rollout routes' tests, 503 to test/unit/handlers/api-aws-failures.test.ts.
 */

const ENV = 'cgap-mastertest';
const BUILDS = `/environments/${ENV}/builds`;
/** Values for the path parameters of the document's routes. */
const PATH_VALUES: Record<string, string> = { env: ENV, service: 'wsgi', id: 'rel-00000000000000000000' };

interface Operation {
  method: string;
  template: string;
  path: string;
  hasBody: boolean;
}

let local: LocalModeInUse;
let api: string;
let operations: Operation[];
let before: Record<string, unknown>;

const request = (method: string, path: string, options?: HttpCall) => call(api, method, path, options);
const json = (token: string | undefined, body: unknown) => ({
  ...(token === undefined ? {} : { token }),
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const requestOf = (operation: Operation, options: HttpCall) =>
  request(
    operation.method,
    operation.path,
    operation.hasBody
      ? { ...json(undefined, {}), ...options, headers: { 'content-type': 'application/json', ...options.headers } }
      : options,
  );

beforeAll(async () => {
  local = await sharedLocalMode();
  api = local.endpoints.httpApi;
  const document = await request('GET', '/openapi.json');
  expect(document.status).toBe(200);
  const paths = (document.json as { paths: Record<string, Record<string, { requestBody?: unknown }>> }).paths;
  operations = Object.entries(paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      path: template.replace(/\{([^}]+)\}/g, (_match, name: string) => PATH_VALUES[name] ?? `unknown-${name}`),
      hasBody: operation.requestBody !== undefined,
    })),
  );
  before = await emulatorSnapshot(local.endpoints.emulator, local.config);
}, 60_000);

describe('the HTTP API over real HTTP (local mode)', () => {
  it('serves an OpenAPI document naming the routes of the issue it has so far', () => {
    const routes = operations.map((operation) => `${operation.method} ${operation.template}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /environments',
        'GET /environments/{env}',
        'POST /environments/{env}/builds',
        'GET /openapi.json',
      ]),
    );
  });

  it('answers 401 on every route but the public ones without credentials, and with a wrong token', async () => {
    const publicRoutes = ['/health', '/openapi.json'];
    for (const operation of operations.filter((candidate) => !publicRoutes.includes(candidate.template))) {
      for (const token of [undefined, 'not-a-token']) {
        const reply = await requestOf(operation, token === undefined ? {} : { token });
        expect(reply.status, `${operation.method} ${operation.path} with ${token ?? 'no token'}`).toBe(401);
        expect(reply.json).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
        expect(reply.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    expect((await request('GET', '/health')).status).toBe(200);
    const document = await request('GET', '/openapi.json');
    expect(document.status).toBe(200);
    expect(document.json).toMatchObject({ servers: [{ url: api }] });
  });

  it('answers 403 on every route of an environment to a principal not on its list', async () => {
    const environmentRoutes = operations.filter((operation) => operation.template.includes('{env}'));
    expect(environmentRoutes.length).toBeGreaterThanOrEqual(2);
    for (const operation of environmentRoutes) {
      const reply = await requestOf(operation, { token: TOKENS.outsider });
      expect(reply.status, `${operation.method} ${operation.path}`).toBe(403);
      expect(reply.json).toMatchObject({
        error: { code: 'FORBIDDEN', message: expect.stringContaining(`in environment ${ENV}`) as unknown },
      });
    }
  });

  it('refuses the outsider on routes without an environment only where an environment is involved', async () => {
    // GET /environments lists only the environments the caller may read: none, so an empty list.
    // GET /openapi.json describes the API to any authenticated caller.
    // GET /releases/{id} involves the release's environment: 403 for a caller who may read no environment
    // at all (so the made-up id reveals nothing), else 403 or 404 once the release is found or not.
    const expected: Record<string, number> = { '/environments': 200, '/openapi.json': 200, '/releases/{id}': 403 };
    const others = operations.filter(
      (operation) => !operation.template.includes('{env}') && operation.template !== '/health',
    );
    // /openapi.json is public: the outsider reads it like anyone.
    expect(others.map((operation) => operation.template).sort()).toEqual(
      Object.keys(expected)
        .filter((template) => others.some((operation) => operation.template === template))
        .sort(),
    );
    for (const operation of others) {
      const reply = await requestOf(operation, { token: TOKENS.outsider });
      expect(reply.status, `${operation.method} ${operation.path}`).toBe(expected[operation.template]);
      if (operation.template === '/environments') expect(reply.json).toEqual({ environments: [] });
    }
  });

  it('answers 400 for malformed JSON', async () => {
    const reply = await request('POST', BUILDS, json(TOKENS.release, '{"version":'));
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
  });

  it('answers 422 listing every invalid path', async () => {
    const reply = await request(
      'POST',
      BUILDS,
      json(TOKENS.release, { version: '-1.4.0', entrypoints: [], colour: 'blue' }),
    );
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: 'the request body is invalid',
        details: [
          { path: 'body.version', message: expect.any(String) as unknown },
          { path: 'body.entrypoints', message: expect.any(String) as unknown },
          { path: 'body.colour', message: 'is not an accepted field' },
        ],
      },
    });
  });

  it('answers 422 for a version with no image, before any build starts', async () => {
    const reply = await request('POST', BUILDS, json(TOKENS.release, { version: '9.9.9' }));
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({
      error: {
        details: [{ path: 'body.version', message: expect.stringContaining('no image tagged "9.9.9"') as unknown }],
      },
    });
  });

  it.each([
    ['GET', `/environments/cgap-nowhere`, 'environment "cgap-nowhere" does not exist'],
    ['POST', `/environments/cgap-nowhere/builds`, 'environment "cgap-nowhere" does not exist'],
    ['GET', '/nope', 'no route GET /nope'],
    ['GET', `/environments/${ENV}/builds/extra`, `no route GET /environments/${ENV}/builds/extra`],
  ])('answers 404 for %s %s', async (method, path, message) => {
    const reply = await request(method, path, method === 'POST' ? json(TOKENS.release, {}) : { token: TOKENS.release });
    expect(reply.status).toBe(404);
    // An unknown environment's reply names those the caller may read.
    const known = path.includes('cgap-nowhere')
      ? { details: [{ path: 'env', message: 'known environments: cgap-mastertest, cgap-prod' }] }
      : {};
    expect(reply.json).toEqual({ error: { code: 'NOT_FOUND', message, ...known } });
  });

  it('answers 404 for an unknown service or release on the routes that name one', async () => {
    // A valid body, so that only the unknown name can be refused (the scale route's body).
    const validBody = { desiredCount: 1 };
    for (const operation of operations.filter((candidate) => /\{(service|id)\}/.test(candidate.template))) {
      const path = operation.template.replace('{env}', ENV).replace(/\{(service|id)\}/, 'no-such-thing');
      const reply = await request(
        operation.method,
        path,
        // The scale routes take the role that may scale, so that only the unknown name is refused.
        operation.hasBody
          ? json(TOKENS.developer, validBody)
          : { token: operation.template.includes('/services/') ? TOKENS.developer : TOKENS.release },
      );
      expect(reply.status, `${operation.method} ${path}`).toBe(404);
      expect(reply.json).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it.each([
    ['DELETE', BUILDS, 'POST'],
    ['GET', BUILDS, 'POST'],
    ['PUT', '/environments', 'GET'],
    ['POST', `/environments/${ENV}`, 'GET'],
  ])('answers 405 for %s %s with Allow: %s', async (method, path, allow) => {
    const reply = await request(method, path, { token: TOKENS.release });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe(allow);
    expect(reply.json).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const reply = await request('POST', BUILDS, json(TOKENS.release, { version: 'x'.repeat(70_000) }));
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers 415 for a body that is not JSON', async () => {
    const reply = await request('POST', BUILDS, {
      token: TOKENS.release,
      headers: { 'content-type': 'text/plain' },
      body: 'version=1.4.0',
    });
    expect(reply.status).toBe(415);
    expect(reply.json).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('refused requests changed nothing in the emulator: no build, no state row, no service or task change', async () => {
    expect(await emulatorSnapshot(local.endpoints.emulator, local.config)).toEqual(before);
  });

  it('lists the readable environments and reads one’s live status from the emulator', async () => {
    const list = await request('GET', '/environments', { token: TOKENS.developer });
    expect(list.status).toBe(200);
    expect(list.json).toEqual({
      environments: [
        { name: ENV, cluster: ENV, state: 'idle', activeRelease: null },
        { name: 'cgap-prod', cluster: 'cgap-prod', state: 'idle', activeRelease: null },
      ],
    });
    const status = await request('GET', `/environments/${ENV}`, { token: TOKENS.release });
    expect(status.status).toBe(200);
    const body = status.json as {
      services: {
        key: string;
        status: string;
        desiredCount: number;
        taskDefinition: { revision: number } | null;
        image: { tag: string | null } | null;
      }[];
      queues: unknown[];
    };
    expect(body.services.map((service) => [service.key, service.status, service.desiredCount])).toEqual([
      ['wsgi', 'ACTIVE', 8],
      ['indexer', 'ACTIVE', 4],
      ['ingester', 'ACTIVE', 1],
    ]);
    for (const service of body.services) expect(service.taskDefinition?.revision).toBeGreaterThanOrEqual(1);
    expect(body.queues).toEqual([expect.objectContaining({ key: 'ingestion', visible: 0, inFlight: 0, delayed: 0 })]);
  });
});
