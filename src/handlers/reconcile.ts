import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConductorConfig } from '../config/load.js';
import { logger } from './observability.js';

const config = loadConductorConfig();

/** Every minute: advance or fail active releases from ECS's real state (events are best effort). */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(() => {
    // The foundation schedules this tick; its decisions are issue #5's work.
    logger.info('tick, no action taken', {
      environments: Object.keys(config.environments),
      reason: 'handling arrives with issue #5',
    });
    return Promise.resolve();
  });
