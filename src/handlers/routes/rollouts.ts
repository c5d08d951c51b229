import type { ConductorConfig } from '../../config/schema.js';
import type { NamedEnvironment } from '../../config/lookup.js';
import {
  deployRequestSchema,
  releaseViewSchema,
  rollbackRequestSchema,
  rollbackViewSchema,
} from '../../contract/api.js';
import type { Release } from '../../domain/release.js';
import type { DeployVersionRequest } from '../../use-cases/deploy-version.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import { refusingAsHttp } from './refusals.js';
import type { ApiRouteSpec } from './route.js';

export interface RolloutRouteDeps {
  config: ConductorConfig;
  /** The deploy-version use case: the version's deployable release, rolled out. */
  deployVersion: (target: NamedEnvironment, request: DeployVersionRequest) => Promise<Release>;
  /** Back to the release that ran before, rolled out; with the release it replaces. */
  rollBack: (
    target: NamedEnvironment,
    triggeredBy: string,
    requestId: string,
  ) => Promise<{ release: Release; from: Release }>;
}

/** 202 with the release a rollout started and where to follow it; a refused rollout as its API error. */
async function rolloutAccepted(starting: Promise<Release>, requestId: string) {
  const started = await refusingAsHttp(starting);
  return jsonResponse(202, started, requestId, { location: `/releases/${started.id}` });
}

/** A rollback's release, saying from which release to which. */
async function rollbackView(starting: Promise<{ release: Release; from: Release }>) {
  const { release, from } = await starting;
  return {
    ...release,
    rolledBackFrom: { releaseId: from.id, version: from.version },
    summary: `rolling back from ${from.version} (${from.id}) to ${release.version} (${release.id})`,
  };
}

export function deployRoute(deps: RolloutRouteDeps): ApiRouteSpec {
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
      const target = environmentFor(deps.config, event.pathParameters?.env, 'deploy', context);
      const body = validRequest(deployRequestSchema, parseJsonBody(event));
      const deploying = deps.deployVersion(target, {
        ...body,
        triggeredBy: callerOf(context).principal,
        requestId: context.awsRequestId,
      });
      return rolloutAccepted(deploying, context.awsRequestId);
    },
  };
}

export function rollbackRoute(deps: RolloutRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/rollback',
    summary: 'Roll out the image digests of the release that ran before the current one, exactly',
    access: 'deploy',
    body: rollbackRequestSchema,
    responses: {
      202: { description: 'The release rolled back to, now rolling out', schema: rollbackViewSchema },
      409: { description: 'Another rollout holds the environment' },
    },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'deploy', context);
      // No body means `{}`; a JSON null is a body, and not an object.
      const body = parseJsonBody(event);
      validRequest(rollbackRequestSchema, body === undefined ? {} : body);
      return rolloutAccepted(
        rollbackView(deps.rollBack(target, callerOf(context).principal, context.awsRequestId)),
        context.awsRequestId,
      );
    },
  };
}
