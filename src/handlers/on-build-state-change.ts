import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { autoDeployRelease } from '../use-cases/auto-deploy-release.js';
import { recordBuildResult } from '../use-cases/record-build-result.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { codeBuildStateChangeEvent } from './events/schemas.js';
import { logAutoDeploy, logger } from './observability.js';
import { autoDeployedSummary, ignoredSummary } from './summaries.js';
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

/** CodeBuild build state → the build's release: BUILT when every entrypoint succeeded, FAILED with the reason. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(codeBuildStateChangeEvent, irrelevant))
  .use(idempotentOn('[detail."build-id", detail."build-status"]'))
  .handler(async (raw: unknown, context: Context) => {
    const event = raw as BuildEvent;
    const buildId = buildIdOf(event);
    const status = event.detail['build-status'];
    const outcome = await recordBuildResult(releasePorts(context.awsRequestId), config.environments, {
      buildId,
      status,
    });
    if (outcome.kind === 'ignored') {
      logger.info('build event ignored', { buildId, status, reason: outcome.reason });
      return ignoredSummary(outcome.reason, { buildId, status });
    }
    const { release, target } = outcome;
    logger.info('build recorded', {
      buildId,
      status,
      releaseId: release.id,
      releaseState: release.state,
      ...(release.failure ? { failure: release.failure } : {}),
    });
    const autoDeploy = await autoDeployRelease(
      releasePorts(context.awsRequestId),
      target,
      release,
      context.awsRequestId,
    );
    logAutoDeploy(autoDeploy);
    return { outcome: 'recorded', buildId, status, ...autoDeployedSummary(release, autoDeploy) };
  });
