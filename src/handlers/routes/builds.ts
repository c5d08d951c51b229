import * as z from 'zod';
import type { ConductorConfig, EnvironmentConfig } from '../../config/schema.js';
import { decideImagePush } from '../../domain/image-push.js';
import type { Release } from '../../domain/release.js';
import { IMAGE_TAG, IMAGE_TAG_RULE, repositoryName } from '../../domain/names.js';
import { startReleaseBuilds, type BuildPorts } from '../../use-cases/start-release-builds.js';
import { HttpError } from '../http/http-error.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import type { ApiRouteSpec } from './route.js';

export const buildRequestSchema = z.strictObject({
  version: z.string().regex(IMAGE_TAG, IMAGE_TAG_RULE),
  entrypoints: z.array(z.string().min(1).max(64)).min(1).max(32).optional(),
});

export interface BuildRouteDeps {
  config: ConductorConfig;
  ports: (owner: string) => BuildPorts;
  imageDigest: (repository: string, tag: string) => Promise<string | undefined>;
}

function invalid(path: string, message: string): HttpError {
  return new HttpError(422, 'INVALID_REQUEST', 'the request body is invalid', [{ path, message }]);
}

function checkEntrypoints(env: EnvironmentConfig, requested: string[] | undefined): void {
  const known = new Set(env.entrypoints.map((entrypoint) => entrypoint.name));
  const unknown = (requested ?? []).flatMap((name, index) =>
    known.has(name)
      ? []
      : [
          {
            path: `body.entrypoints.${index}`,
            message: `unknown entrypoint "${name}" (known: ${[...known].join(', ')})`,
          },
        ],
  );
  if (unknown.length > 0) throw new HttpError(422, 'INVALID_REQUEST', 'the request body is invalid', unknown);
}

export const releaseBuildsViewSchema = z.object({
  releaseId: z.string(),
  environment: z.string(),
  version: z.string(),
  sourceDigest: z.string(),
  state: z.string(),
  builds: z.record(z.string(), z.object({ imageTag: z.string(), status: z.string(), buildId: z.string().nullable() })),
  startedNow: z
    .array(z.string())
    .describe('entrypoints whose build this request started (empty when it found them started)'),
});

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
      const { name, env } = environmentFor(deps.config, event.pathParameters?.env, 'build', context);
      const body = validRequest(buildRequestSchema, parseJsonBody(event));
      checkEntrypoints(env, body.entrypoints);
      const digest = await deps.imageDigest(env.repository, body.version);
      if (!digest) throw invalid('body.version', `no image tagged "${body.version}" in repository ${env.repository}`);
      // Hold API builds to the rules a push follows, so a derived tag cannot start a build loop by hand.
      const [decision] = decideImagePush(
        { environments: { [name]: env } },
        { action: 'PUSH', result: 'SUCCESS', repository: repositoryName(env.repository), digest, tag: body.version },
      );
      if (decision?.kind !== 'build') throw invalid('body.version', decision?.reason ?? 'not a release version');
      const { release, started } = await startReleaseBuilds(deps.ports(context.awsRequestId), env, {
        environment: name,
        version: body.version,
        sourceDigest: digest,
        ...(body.entrypoints ? { entrypoints: body.entrypoints } : {}),
        triggeredBy: callerOf(context).principal,
      });
      return jsonResponse(202, releaseBuildsView(release, started), context.awsRequestId, {
        location: `/releases/${release.id}`,
      });
    },
  };
}
