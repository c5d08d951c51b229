import type * as z from 'zod';
import type { ConductorConfig } from '../../config/schema.js';
import { buildRequestSchema, releaseBuildsViewSchema } from '../../contract/api.js';
import type { Release } from '../../domain/release.js';
import type { BuildVersionRequest } from '../../use-cases/build-version.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import { refusingAsHttp } from './refusals.js';
import type { ApiRouteSpec } from './route.js';
import type { NamedEnvironment } from '../../domain/environment.js';

export interface BuildRouteDeps {
  config: ConductorConfig;
  /** The build-version use case, its builds started in the name of `owner` (the invocation). */
  buildVersion: (
    target: NamedEnvironment,
    request: BuildVersionRequest,
    owner: string,
  ) => Promise<{ release: Release; started: string[] }>;
}

/** The reply of a build request: where the release is and which builds it has. */
export function releaseBuildsView(release: Release, started: string[]): z.output<typeof releaseBuildsViewSchema> {
  return {
    releaseId: release.id,
    environment: release.environment,
    version: release.version,
    sourceDigest: release.sourceDigest,
    state: release.state,
    builds: Object.fromEntries(
      Object.entries(release.builds).map(([name, build]) => [
        name,
        { imageTag: build.imageTag, status: build.status, buildId: build.buildId ?? null },
      ]),
    ),
    startedNow: started,
  };
}

/** `POST /environments/{env}/builds`: the same as pushing the version's source image. */
export function startBuildsRoute(deps: BuildRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/builds',
    summary: 'Build a version: one CodeBuild build per entrypoint, as a push of its source image would',
    access: 'build',
    body: buildRequestSchema,
    responses: { 202: { description: 'The release and its builds', schema: releaseBuildsViewSchema } },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'build', context);
      const body = validRequest(buildRequestSchema, parseJsonBody(event));
      const { release, started } = await refusingAsHttp(
        deps.buildVersion(target, { ...body, triggeredBy: callerOf(context).principal }, context.awsRequestId),
      );
      return jsonResponse(202, releaseBuildsView(release, started), context.awsRequestId, {
        location: `/releases/${release.id}`,
      });
    },
  };
}
