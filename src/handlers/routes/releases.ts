import * as z from 'zod';
import { ownEntry } from '../../config/lookup.js';
import type { ConductorConfig } from '../../config/schema.js';
import { mayPerform } from '../../domain/access.js';
import { IMAGE_TAG, IMAGE_TAG_RULE } from '../../domain/names.js';
import { RELEASE_STATES, type Release } from '../../domain/release.js';
import type { ReleaseRepository } from '../../use-cases/ports.js';
import { NotDeployableError, RolloutConflictError, type RolloutRequest } from '../../use-cases/start-rollout.js';
import { HttpError, notFound } from '../http/http-error.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import type { ApiRouteSpec } from './route.js';

const tag = z.string().regex(IMAGE_TAG, IMAGE_TAG_RULE);

export const deployRequestSchema = z.strictObject({
  version: tag.describe('the release version (source image tag) to roll out'),
  task: z.string().min(1).max(64).optional().describe('a deployment task other than the routine one'),
  confirm: z.string().max(64).optional().describe('required for a destructive task: the environment name'),
});

export const rollbackRequestSchema = z.strictObject({});

export const releasesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page')
    .optional(),
});

export const releaseViewSchema = z
  .object({
    id: z.string(),
    environment: z.string(),
    version: z.string(),
    sourceDigest: z.string(),
    state: z.enum(RELEASE_STATES),
    builds: z.record(
      z.string(),
      z.object({
        imageTag: z.string(),
        status: z.string(),
        buildId: z.string().optional(),
        digest: z.string().optional(),
      }),
    ),
    triggeredBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    timeline: z.array(z.object({ at: z.string(), step: z.string(), detail: z.string().optional() })),
    failure: z.object({ step: z.string(), reason: z.string() }).loose().optional(),
    rollout: z.object({ kind: z.string(), attempt: z.int(), stepIndex: z.int() }).loose().optional(),
    completedAt: z.string().optional(),
  })
  .loose();

export const releasePageSchema = z.object({ releases: z.array(releaseViewSchema), cursor: z.string().optional() });

export interface ReleaseRouteDeps {
  config: ConductorConfig;
  releases: Pick<ReleaseRepository, 'get' | 'listForEnvironment'>;
  deploy: (request: RolloutRequest) => Promise<Release>;
  rollBack: (environment: string, triggeredBy: string, requestId: string) => Promise<Release>;
}

/** The rollout errors as API errors: 409 names the active release, 422 the field at fault. */
function asHttpError(error: unknown): unknown {
  if (error instanceof RolloutConflictError) {
    return new HttpError(409, 'CONFLICT', error.message, [
      { path: 'environment', message: `active release ${error.activeReleaseId}` },
    ]);
  }
  if (error instanceof NotDeployableError) {
    return new HttpError(422, 'NOT_DEPLOYABLE', error.message, [
      { path: `body.${error.field}`, message: error.message },
    ]);
  }
  return error;
}

/** 202 with the release a rollout started and where to follow it; a refused rollout as its API error. */
async function rolloutAccepted(starting: Promise<Release>, requestId: string) {
  const started = await starting.catch((error: unknown) => {
    throw asHttpError(error);
  });
  return jsonResponse(202, started, requestId, { location: `/releases/${started.id}` });
}

async function releaseOfVersion(deps: ReleaseRouteDeps, environment: string, version: string): Promise<Release> {
  let cursor: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const listed = await deps.releases.listForEnvironment(environment, { limit: 50, ...(cursor ? { cursor } : {}) });
    const match = listed.releases.find(
      (release) =>
        release.version === version &&
        release.state !== 'BUILDING' &&
        !(release.state === 'FAILED' && !release.rollout),
    );
    if (match) return match;
    if (listed.releases.some((release) => release.version === version && release.state === 'BUILDING')) {
      throw new HttpError(409, 'CONFLICT', `release ${version} is still building`, [
        { path: 'body.version', message: 'still building' },
      ]);
    }
    if (!listed.cursor) break;
    cursor = listed.cursor;
  }
  throw new HttpError(422, 'NOT_DEPLOYABLE', `no built release of version ${version}`, [
    { path: 'body.version', message: 'build it first: POST /environments/{env}/builds' },
  ]);
}

function checkTask(
  config: ConductorConfig,
  environment: string,
  task: string | undefined,
  confirm: string | undefined,
): void {
  if (task === undefined) return;
  const env = ownEntry(config.environments, environment);
  const definition = env && ownEntry(env.deploymentTasks, task);
  if (!definition)
    throw new HttpError(422, 'INVALID_REQUEST', 'the request body is invalid', [
      { path: 'body.task', message: `unknown deployment task "${task}"` },
    ]);
  if (definition.destructive && confirm !== environment) {
    throw new HttpError(422, 'CONFIRMATION_REQUIRED', `task ${task} is destructive`, [
      { path: 'body.confirm', message: `must be "${environment}" to run the destructive task ${task}` },
    ]);
  }
}

export function deployRoute(deps: ReleaseRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/deployments',
    summary: 'Roll a built release out: services and deployment task in the environment order',
    access: 'deploy',
    body: deployRequestSchema,
    responses: {
      202: { description: 'The release, now rolling out', schema: releaseViewSchema },
      409: { description: 'Another rollout holds the environment, or the release is still building' },
    },
    handler: async (event, context) => {
      const { name } = environmentFor(deps.config, event.pathParameters?.env, 'deploy', context);
      const body = validRequest(deployRequestSchema, parseJsonBody(event));
      checkTask(deps.config, name, body.task, body.confirm);
      const release = await releaseOfVersion(deps, name, body.version);
      const deploying = deps.deploy({
        releaseId: release.id,
        kind: 'deploy',
        task: body.task,
        triggeredBy: callerOf(context).principal,
        requestId: context.awsRequestId,
      });
      return rolloutAccepted(deploying, context.awsRequestId);
    },
  };
}

export function rollbackRoute(deps: ReleaseRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/rollback',
    summary: "Roll out the previous completed release's image digests exactly",
    access: 'deploy',
    body: rollbackRequestSchema,
    responses: {
      202: { description: 'The release rolled back to, now rolling out', schema: releaseViewSchema },
      409: { description: 'Another rollout holds the environment' },
    },
    handler: async (event, context) => {
      const { name } = environmentFor(deps.config, event.pathParameters?.env, 'deploy', context);
      // No body means `{}`; a JSON null is a body, and not an object.
      const body = parseJsonBody(event);
      validRequest(rollbackRequestSchema, body === undefined ? {} : body);
      return rolloutAccepted(
        deps.rollBack(name, callerOf(context).principal, context.awsRequestId),
        context.awsRequestId,
      );
    },
  };
}

export function listReleasesRoute(deps: ReleaseRouteDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/environments/{env}/releases',
    summary: "An environment's releases, newest first, paginated",
    access: 'read',
    query: releasesQuerySchema,
    responses: { 200: { description: 'One page of releases', schema: releasePageSchema } },
    handler: async (event, context) => {
      const { name } = environmentFor(deps.config, event.pathParameters?.env, 'read', context);
      const query = validRequest(releasesQuerySchema, event.queryStringParameters ?? {}, 'query');
      const page = await deps.releases
        .listForEnvironment(name, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) })
        .catch(() => {
          throw new HttpError(422, 'INVALID_REQUEST', 'the request query is invalid', [
            { path: 'query.cursor', message: 'is not a cursor from a previous page' },
          ]);
        });
      return jsonResponse(200, page, context.awsRequestId);
    },
  };
}

export function getReleaseRoute(deps: ReleaseRouteDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/releases/{id}',
    summary: 'One release: timeline, digests, trigger, failure reason',
    access: 'read',
    responses: { 200: { description: 'The release', schema: releaseViewSchema } },
    handler: async (event, context) => {
      const id = event.pathParameters?.id ?? '';
      const { principal } = callerOf(context);
      const readable = Object.values(deps.config.environments).some((env) => mayPerform(env, 'read', principal));
      if (!readable) throw new HttpError(403, 'FORBIDDEN', `${principal} may not read any environment`);
      const release = /^rel-[0-9a-f]{20}$/.test(id) ? (await deps.releases.get(id))?.release : undefined;
      const env = release && deps.config.environments[release.environment];
      if (!release || !env) throw notFound(`release "${id}"`);
      if (!mayPerform(env, 'read', principal))
        throw new HttpError(403, 'FORBIDDEN', `${principal} may not read in environment ${release.environment}`);
      return jsonResponse(200, release, context.awsRequestId);
    },
  };
}
