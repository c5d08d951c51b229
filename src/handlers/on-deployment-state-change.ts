import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConductorConfig } from '../config/load.js';
import { acceptEvent } from './events/accept.js';
import { ecsDeploymentStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';

const config = loadConductorConfig();

/** A service deployment COMPLETED or FAILED → the release advances or fails. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: unknown) => {
    const accepted = acceptEvent(ecsDeploymentStateChangeEvent, event);
    if (accepted) {
      // The foundation routes and validates the event; acting on it is issue #5's work.
      logger.info('event accepted, no action taken', {
        eventId: accepted.id,
        detail: { deploymentId: accepted.detail.deploymentId, eventName: accepted.detail.eventName },
        environments: Object.keys(config.environments).length,
        reason: 'handling arrives with issue #5',
      });
    }
    return Promise.resolve();
  });
