import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { shouldAutoDeploy } from '../domain/auto-deploy.js';
import { recordBuildResult } from '../use-cases/record-build-result.js';
import { NotDeployableError, RolloutConflictError } from '../use-cases/start-rollout.js';
import { acceptEvent } from './events/accept.js';
import { codeBuildStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { buildResultPorts, config, deploy } from './wiring.js';

/** CodeBuild build state → the build's release: BUILT when every entrypoint succeeded, FAILED with the reason. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown, context: Context) => {
    const accepted = acceptEvent(codeBuildStateChangeEvent, event);
    if (!accepted) return;
    const { 'build-id': buildArn, 'build-status': status } = accepted.detail;
    // Events carry the build's ARN; StartBuild answered with its id (`project:uuid`).
    const buildId = buildArn.replace(/^arn:[^:]+:codebuild:[^:]*:\d*:build\//, '');
    const outcome = await recordBuildResult(buildResultPorts, config, { buildId, status });
    if (outcome.kind === 'ignored') {
      logger.info('build event ignored', { buildId, status, reason: outcome.reason });
      return;
    }
    const { release } = outcome;
    logger.info('build recorded', {
      buildId,
      status,
      releaseId: release.id,
      releaseState: release.state,
      ...(release.failure ? { failure: release.failure } : {}),
    });
    const env = config.environments[release.environment];
    if (env && shouldAutoDeploy(env, release)) await autoDeploy(release.id, context.awsRequestId);
  });

/** A built release whose version matches the auto-deploy pattern rolls out now; if busy, reconcile retries. */
async function autoDeploy(releaseId: string, requestId: string): Promise<void> {
  try {
    const release = await deploy({ releaseId, kind: 'deploy', triggeredBy: 'auto-deploy', requestId, firstRolloutOnly: true });
    logger.info('auto-deploy started', { releaseId, releaseState: release.state });
  } catch (error) {
    if (!(error instanceof RolloutConflictError || error instanceof NotDeployableError)) throw error;
    logger.info('auto-deploy deferred', { releaseId, reason: error.message });
  }
}
