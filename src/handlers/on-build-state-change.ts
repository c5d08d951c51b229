import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import type { NamedEnvironment } from '../config/lookup.js';
import { shouldAutoDeploy } from '../domain/auto-deploy.js';
import { recordBuildResult } from '../use-cases/record-build-result.js';
import { rollOut } from '../use-cases/roll-out.js';
import { NotDeployableError, RolloutConflictError } from '../use-cases/start-rollout.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { codeBuildStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { config, releasePorts, stateAdapters } from './wiring.js';

type BuildEvent = z.output<typeof codeBuildStateChangeEvent>;

/** Events carry the build's ARN; StartBuild answered with its id (`project:uuid`). */
const buildIdOf = (event: BuildEvent) => event.detail['build-id'].replace(/^arn:[^:]+:codebuild:[^:]*:\d*:build\//, '');

/** Builds still running, and builds the conductor did not start, stop at the edge. */
async function irrelevant(event: BuildEvent) {
  const status = event.detail['build-status'];
  if (status === 'IN_PROGRESS') return { buildId: buildIdOf(event), status, reason: 'no outcome yet' };
  if (!(await stateAdapters.index.findBuild(buildIdOf(event))))
    return { buildId: buildIdOf(event), status, reason: 'build not started by the conductor' };
  return undefined;
}

/** A built release whose version matches the auto-deploy pattern rolls out now; if busy, reconcile retries. */
async function autoDeploy(target: NamedEnvironment, releaseId: string, requestId: string): Promise<void> {
  try {
    const release = await rollOut(releasePorts(requestId), target, {
      releaseId,
      kind: 'deploy',
      triggeredBy: 'auto-deploy',
      requestId,
      firstRolloutOnly: true,
    });
    logger.info('auto-deploy started', { releaseId, releaseState: release.state });
  } catch (error) {
    if (!(error instanceof RolloutConflictError || error instanceof NotDeployableError)) throw error;
    logger.info('auto-deploy deferred', { releaseId, reason: error.message });
  }
}

/** CodeBuild build state → the build's release: BUILT when every entrypoint succeeded, FAILED with the reason. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(codeBuildStateChangeEvent, irrelevant))
  .use(idempotentOn('[detail."build-id", detail."build-status"]'))
  .handler(async (raw: unknown, context: Context) => {
    const event = raw as BuildEvent;
    const buildId = buildIdOf(event);
    const status = event.detail['build-status'];
    const outcome = await recordBuildResult(releasePorts(context.awsRequestId), config, { buildId, status });
    if (outcome.kind === 'ignored') {
      logger.info('build event ignored', { buildId, status, reason: outcome.reason });
      return;
    }
    const { release, target } = outcome;
    logger.info('build recorded', {
      buildId,
      status,
      releaseId: release.id,
      releaseState: release.state,
      ...(release.failure ? { failure: release.failure } : {}),
    });
    if (shouldAutoDeploy(target.env, release)) await autoDeploy(target, release.id, context.awsRequestId);
  });
