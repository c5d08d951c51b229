import { Validator } from '@seriousme/openapi-schema-validator';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import { buildRequestSchema } from '../../../../src/contract/api.js';
import { startBuildsRoute } from '../../../../src/handlers/routes/builds.js';
import {
  environmentStatusRoute,
  listEnvironmentsRoute,
  type EnvironmentRouteDeps,
} from '../../../../src/handlers/routes/environments.js';
import { healthRoute } from '../../../../src/handlers/routes/health.js';
import { openApiDocument } from '../../../../src/handlers/routes/openapi-document.js';
import { openApiRoute } from '../../../../src/handlers/routes/openapi.js';
import type { ApiRouteSpec } from '../../../../src/handlers/routes/route.js';
import { callRoute } from '../../../support/route-call.js';

const config = readConductorConfigFile('conductor.yml');
const unused = () => Promise.reject(new Error('not called while describing the API'));
const statusDeps: EnvironmentRouteDeps = { config, environmentStatus: unused, environmentSummary: unused };

/** A route like the rollout ones: a query, a declared conflict, and a recursive schema zod hoists into $defs. */
interface Step {
  name: string;
  children: Step[];
}
const stepSchema: z.ZodType<Step> = z.lazy(() => z.object({ name: z.string(), children: z.array(stepSchema) }));
const releasesRoute: ApiRouteSpec = {
  method: 'GET',
  path: '/environments/{env}/releases',
  summary: 'Releases, newest first',
  access: 'read',
  query: z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('page size'),
    cursor: z.string().optional(),
  }),
  responses: {
    200: { description: 'A page', schema: z.object({ steps: z.array(stepSchema) }) },
    409: { description: 'A rollout is under way' },
  },
  handler: unused,
};

const routes: ApiRouteSpec[] = [
  healthRoute('test'),
  listEnvironmentsRoute(statusDeps),
  environmentStatusRoute(statusDeps),
  startBuildsRoute({ config, buildVersion: unused }),
  releasesRoute,
];
routes.push(openApiRoute(() => routes, { pathParameterExamples: { env: 'cgap-mastertest' } }));

type Operation = {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown>; example?: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }>;
};

const document = openApiDocument(routes, { pathParameterExamples: { env: 'cgap-mastertest' } });
const operationOf = (path: string, method: string) => document.paths[path]?.[method] as Operation;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 with every $ref resolving', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('is checked by a validator that does reject a broken document', async () => {
    const broken = structuredClone(document) as unknown as { paths: Record<string, unknown> };
    broken.paths['/broken'] = { get: { responses: { 200: { content: 'not an object' } } } };
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it('describes every route once, under its API Gateway path template', () => {
    expect(
      Object.fromEntries(Object.entries(document.paths).map(([path, methods]) => [path, Object.keys(methods)])),
    ).toEqual({
      '/health': ['get'],
      '/environments': ['get'],
      '/environments/{env}': ['get'],
      '/environments/{env}/builds': ['post'],
      '/environments/{env}/releases': ['get'],
      '/openapi.json': ['get'],
    });
    expect(operationOf('/environments/{env}', 'get').operationId).toBe('getEnvironmentsByEnv');
  });

  it('takes request bodies from the same zod schemas that validate them', () => {
    const body = operationOf('/environments/{env}/builds', 'post').requestBody?.content['application/json']?.schema;
    const expected: Record<string, unknown> = z.toJSONSchema(buildRequestSchema, {
      target: 'draft-2020-12',
      io: 'input',
    });
    delete expected.$schema;
    expect(body).toEqual(expected);
  });

  it('declares path and query parameters', () => {
    expect(operationOf('/environments/{env}/releases', 'get').parameters).toEqual([
      { name: 'env', in: 'path', required: true, schema: { type: 'string', minLength: 1 }, example: 'cgap-mastertest' },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'page size',
        schema: { default: 20, description: 'page size', type: 'integer', minimum: 1, maximum: 100 },
      },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
    ]);
  });

  it.each([
    ['/health', 'get', ['200', '500']],
    ['/environments', 'get', ['200', '401', '500', '503']],
    ['/environments/{env}', 'get', ['200', '401', '403', '404', '500', '503']],
    ['/environments/{env}/builds', 'post', ['202', '400', '401', '403', '404', '413', '415', '422', '500', '503']],
    ['/environments/{env}/releases', 'get', ['200', '401', '403', '404', '409', '422', '500', '503']],
    ['/openapi.json', 'get', ['200', '500']],
  ])('lists the statuses %s %s answers, errors with the shared error schema', (path, method, statuses) => {
    const { responses } = operationOf(path, method);
    expect(Object.keys(responses)).toEqual(statuses);
    for (const status of statuses.filter((code) => Number(code) >= 400)) {
      expect(responses[status]?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
    for (const response of Object.values(responses)) expect(response.headers).toHaveProperty('x-request-id');
  });

  it('moves recursive definitions into components and points their refs there', () => {
    const schemaNames = Object.keys(document.components.schemas);
    expect(schemaNames).toContain('Error');
    const hoisted = schemaNames.filter((name) => name.startsWith('getEnvironmentsByEnvReleases.200.'));
    expect(hoisted).toHaveLength(1);
    expect(JSON.stringify(document)).not.toContain('#/$defs/');
  });

  it('requires SigV4 or a bearer token everywhere but /health and /openapi.json', () => {
    expect(document.security).toEqual([{ sigv4: [] }, { bearerToken: [] }]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(['sigv4', 'bearerToken']);
    expect(operationOf('/health', 'get').security).toEqual([]);
    expect(operationOf('/openapi.json', 'get').security).toEqual([]);
    expect(operationOf('/environments', 'get').security).toBeUndefined();
  });

  it('is served by GET /openapi.json, built once', async () => {
    const route = routes.at(-1);
    if (!route) throw new Error('no openapi route');
    expect(route).toMatchObject({ path: '/openapi.json', access: 'public' });
    const first = await callRoute(route, '/openapi.json', 'arn:aws:iam::123456789012:role/outsider', {
      headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json).toEqual({
      ...JSON.parse(JSON.stringify(document)),
      servers: [{ url: 'https://abc123.execute-api.us-east-1.amazonaws.com' }],
    });
    const local = await callRoute(route, '/openapi.json', 'anyone', { headers: { host: '127.0.0.1:3000' } });
    expect(local.json).toMatchObject({ servers: [{ url: 'http://127.0.0.1:3000' }] });
  });
});
