import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConductorConfig } from '../config/load.js';
import { logger } from './observability.js';

const config = loadConductorConfig();

/** Every minute: each queue-driven service's desired count from its SQS backlog. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(() => {
    // The foundation schedules this tick; its decisions are issue #6's work.
    logger.info('tick, no action taken', {
      environments: Object.keys(config.environments),
      reason: 'handling arrives with issue #6',
    });
    return Promise.resolve();
  });
