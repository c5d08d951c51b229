import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { progressRelease } from '../use-cases/progress-release.js';
import { acceptEvent } from './events/accept.js';
import { ecsDeploymentStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { config, releases, rolloutPorts } from './wiring.js';

/**
 * A service deployment COMPLETED or FAILED → re-check the release it belongs to. FAILED is final;
 * COMPLETED is verified against DescribeServices (a circuit-breaker rollback also "completes").
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown, context: Context) => {
    const accepted = acceptEvent(ecsDeploymentStateChangeEvent, event);
    if (!accepted) return;
    const { deploymentId, eventName, reason } = accepted.detail;
    if (eventName !== 'SERVICE_DEPLOYMENT_COMPLETED' && eventName !== 'SERVICE_DEPLOYMENT_FAILED') {
      logger.info('deployment event ignored', { deploymentId, eventName, reason: 'not an outcome' });
      return;
    }
    const releaseId = await releases.findDeployment(deploymentId);
    if (!releaseId) {
      logger.info('deployment event ignored', { deploymentId, eventName, reason: 'deployment not started by the conductor' });
      return;
    }
    const failed = eventName === 'SERVICE_DEPLOYMENT_FAILED' ? { failedDeployment: { deploymentId, reason: reason ?? 'deployment failed' } } : {};
    const release = await progressRelease(rolloutPorts(context.awsRequestId), config, releaseId, failed);
    logger.info('deployment outcome recorded', { deploymentId, eventName, releaseId, releaseState: release?.state, failure: release?.failure });
  });
