import type { ConductorConfig } from '../../config/schema.js';
import {
  abortRequestSchema,
  releaseViewSchema,
  rolloutViewSchema,
  deployRequestSchema,
  redeployRequestSchema,
  rollbackRequestSchema,
  rollbackViewSchema,
} from '../../contract/api.js';
import type { Release } from '../../domain/release.js';
import type { DeployVersionRequest } from '../../use-cases/deploy-version.js';
import type { RollbackStarted } from '../../use-cases/roll-back.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validEmptyBody, validRequest } from '../http/validation.js';
import { requireProductionConfirmation } from './production-guard.js';
import { environmentFor } from './environment-access.js';
import { refusingAsHttp } from './refusals.js';
import { rollbackView, rolloutView } from './rollout-views.js';
import type { ApiRouteSpec } from './route.js';
import type { NamedEnvironment } from '../../domain/environment.js';

export interface RolloutRouteDeps {
  config: ConductorConfig;
  /** The deploy-version use case: the version's deployable release, rolled out. */
  deployVersion: (target: NamedEnvironment, request: DeployVersionRequest) => Promise<Release>;
  /** Back to the release that ran before, rolled out; with the release it replaces. */
  rollBack: (target: NamedEnvironment, triggeredBy: string, requestId: string) => Promise<RollbackStarted>;
  /** The routine deployment task of the release the environment runs, now. */
  redeploy: StartFromEnvironment;
  /** Stops the release that moves now (its service deployments rolled back by ECS); the release aborted. */
  abort: (
    target: NamedEnvironment,
    ask: { by: string; reason?: string | undefined },
    requestId: string,
  ) => Promise<Release>;
}

/** 202 with the release a rollout started and where to follow it; a refused rollout as its API error. */
async function rolloutAccepted(starting: Promise<Pick<Release, 'id'>>, requestId: string) {
  const started = await refusingAsHttp(starting);
  return jsonResponse(202, started, requestId, { location: `/releases/${started.id}` });
}

export function deployRoute(deps: RolloutRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/deployments',
    summary: 'Roll a built release out: services and deployment task in the environment order',
    access: 'deploy',
    body: deployRequestSchema,
    responses: {
      202: { description: 'The release, now rolling out, and its plan', schema: rolloutViewSchema },
      409: { description: 'Another rollout holds the environment, or the release is still building' },
    },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'deploy', context);
      const body = validRequest(deployRequestSchema, parseJsonBody(event));
      requireProductionConfirmation(target, body.confirm, 'deploy');
      const deploying = deps.deployVersion(target, {
        ...body,
        triggeredBy: callerOf(context).principal,
        requestId: context.awsRequestId,
      });
      return rolloutAccepted(rolloutView(deploying, target.env), context.awsRequestId);
    },
  };
}

type StartFromEnvironment = (target: NamedEnvironment, triggeredBy: string, requestId: string) => Promise<Release>;

/** A rollout the environment alone decides (no body but `{}`): 202 with the release it started and its plan. */
function environmentRolloutRoute(
  config: ConductorConfig,
  spec: Pick<ApiRouteSpec, 'path' | 'summary' | 'body' | 'responses'>,
  start: StartFromEnvironment,
  /** What the rollout does, when a production environment must confirm it. */
  guarded?: 'roll back',
): ApiRouteSpec {
  return {
    method: 'POST',
    access: 'deploy',
    ...spec,
    handler: async (event, context) => {
      const target = environmentFor(config, event.pathParameters?.env, 'deploy', context);
      const body = validEmptyBody(spec.body ?? rollbackRequestSchema, event) as { confirm?: string };
      if (guarded) requireProductionConfirmation(target, body.confirm, guarded);
      const starting = start(target, callerOf(context).principal, context.awsRequestId);
      return rolloutAccepted(rolloutView(starting, target.env), context.awsRequestId);
    },
  };
}

export function rollbackRoute(deps: RolloutRouteDeps): ApiRouteSpec {
  const spec = {
    path: '/environments/{env}/rollback',
    summary: 'Roll out the image digests of the release that ran before the current one, exactly',
    body: rollbackRequestSchema,
    responses: {
      202: { description: 'The release rolled back to, now rolling out', schema: rollbackViewSchema },
      409: { description: 'Another rollout holds the environment' },
    },
  };
  return environmentRolloutRoute(
    deps.config,
    spec,
    (target, triggeredBy, requestId) => rollbackView(deps.rollBack(target, triggeredBy, requestId), target.env),
    'roll back',
  );
}

export function redeployRoute(deps: RolloutRouteDeps): ApiRouteSpec {
  const spec = {
    path: '/environments/{env}/redeploy',
    summary: 'Run the routine deployment task of the release the environment runs, now',
    body: redeployRequestSchema,
    responses: {
      202: { description: 'The current release, re-running its deployment task', schema: rolloutViewSchema },
      409: { description: 'A rollout holds the environment' },
      422: { description: 'The environment has no routine deployment task, or runs no recorded release' },
    },
  };
  return environmentRolloutRoute(deps.config, spec, deps.redeploy);
}

export function abortRoute(deps: RolloutRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/abort',
    summary: 'Stop the release that moves now: ECS rolls its service deployments back, its task is stopped',
    access: 'deploy',
    body: abortRequestSchema,
    responses: {
      200: {
        description: 'The release, FAILED with kind aborted (the same answer when asked again)',
        schema: releaseViewSchema,
      },
      409: { description: 'Nothing is rolling out: the error says what the environment runs' },
    },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'deploy', context);
      const body = validEmptyBody(abortRequestSchema, event);
      requireProductionConfirmation(target, body.confirm, 'abort');
      const aborted = await refusingAsHttp(
        deps.abort(target, { by: callerOf(context).principal, reason: body.reason }, context.awsRequestId),
      );
      return jsonResponse(200, aborted, context.awsRequestId, { location: `/releases/${aborted.id}` });
    },
  };
}
