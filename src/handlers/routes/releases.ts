import { RELEASE_ID } from '../../domain/release-states.js';
import type { ConductorConfig } from '../../config/schema.js';
import { releasePageSchema, releasesQuerySchema, releaseViewSchema } from '../../contract/api.js';
import { actorMay } from '../../domain/access.js';
import type { Release } from '../../domain/release.js';
import { InvalidCursorError, type ReleasePage } from '../../use-cases/ports.js';
import { HttpError, notFound } from '../http/http-error.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import type { ApiRouteSpec } from './route.js';

export interface ReleaseRouteDeps {
  config: ConductorConfig;
  /** One page of the environment's releases, newest first; rejects a cursor it did not issue. */
  listReleases: (environment: string, page: { limit: number; cursor?: string }) => Promise<ReleasePage>;
  getRelease: (id: string) => Promise<Release | undefined>;
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
      const page = await deps
        .listReleases(name, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) })
        .catch((error: unknown) => {
          // Only a cursor's own fault is the caller's; a failing listing stays the server's error.
          if (!(error instanceof InvalidCursorError)) throw error;
          throw new HttpError(422, 'INVALID_REQUEST', 'the request query is invalid', [
            { path: 'query.cursor', message: error.message },
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
      const caller = callerOf(context);
      const { principal } = caller;
      const readable = Object.values(deps.config.environments).some((env) => actorMay(caller, env, 'read'));
      if (!readable) throw new HttpError(403, 'FORBIDDEN', `${principal} may not read any environment`);
      const release = RELEASE_ID.test(id) ? await deps.getRelease(id) : undefined;
      const env = release && deps.config.environments[release.environment];
      if (!release || !env) throw notFound(`release "${id}"`);
      if (!actorMay(caller, env, 'read'))
        throw new HttpError(403, 'FORBIDDEN', `${principal} may not read in environment ${release.environment}`);
      return jsonResponse(200, release, context.awsRequestId);
    },
  };
}
