import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { advanceRolloutOf } from '../use-cases/roll-out.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { ecsDeploymentStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { rolloutEventSummary } from './summaries.js';
import { config, rolloutPorts, stateAdapters } from './wiring.js';

type DeploymentEvent = z.output<typeof ecsDeploymentStateChangeEvent>;

/** Deployments still in progress, and deployments the conductor did not start, stop at the edge. */
async function irrelevant({ detail }: DeploymentEvent) {
  const { deploymentId, eventName } = detail;
  if (eventName !== 'SERVICE_DEPLOYMENT_COMPLETED' && eventName !== 'SERVICE_DEPLOYMENT_FAILED')
    return { deploymentId, eventName, reason: 'not an outcome' };
  if (!(await stateAdapters.index.findDeployment(deploymentId)))
    return { deploymentId, eventName, reason: 'deployment not started by the conductor' };
  return undefined;
}

/**
 * A service deployment COMPLETED or FAILED → re-check the release it belongs to. FAILED is final;
 * COMPLETED is verified against DescribeServices (a circuit-breaker rollback also "completes").
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(ecsDeploymentStateChangeEvent, irrelevant))
  .use(idempotentOn('[detail.deploymentId, detail.eventName]'))
  .handler(async (raw: unknown, context: Context) => {
    const { deploymentId, eventName, reason } = (raw as DeploymentEvent).detail;
    const releaseId = (await stateAdapters.index.findDeployment(deploymentId)) ?? '';
    const failed =
      eventName === 'SERVICE_DEPLOYMENT_FAILED'
        ? { failedDeployment: { deploymentId, reason: reason ?? 'deployment failed' } }
        : {};
    const release = await advanceRolloutOf(rolloutPorts(context.awsRequestId), config.environments, releaseId, failed);
    logger.info('deployment outcome recorded', {
      deploymentId,
      eventName,
      releaseId,
      releaseState: release?.state,
      failure: release?.failure,
    });
    return rolloutEventSummary(releaseId, release, { deploymentId, eventName });
  });
