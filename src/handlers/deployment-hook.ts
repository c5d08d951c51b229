import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { HookAnswer } from '../domain/native-deployment.js';
import { answerDeploymentHook } from '../use-cases/answer-deployment-hook.js';
import { acceptEvent } from './events/accept.js';
import { deploymentHookPayload } from './events/schemas.js';
import { logger } from './observability.js';
import { config, hookPorts } from './wiring.js';

/**
 * ECS's lifecycle hook for the conductor's native (blue/green, linear, canary) deployments: runs the
 * service's smoke check through the test listener and answers SUCCEEDED, FAILED (ECS rolls back) or
 * IN_PROGRESS with a callBackDelay. Not idempotent by design: every invocation checks again. A
 * payload it cannot read is answered FAILED: a deployment the conductor cannot vouch for must not go on.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown): Promise<HookAnswer> => {
    const payload = acceptEvent(deploymentHookPayload, event);
    const serviceArn = payload?.serviceArn ?? payload?.executionDetails?.serviceArn;
    if (!payload || !serviceArn) {
      logger.warn('hook answered FAILED: no service in the payload');
      return { hookStatus: 'FAILED' };
    }
    const attempt = payload.hookDetails?.attempt ?? payload.executionDetails?.hookDetails?.attempt ?? 1;
    const outcome = await answerDeploymentHook(hookPorts(), config.environments, {
      serviceArn,
      lifecycleStage: payload.lifecycleStage,
      attempt,
    });
    logger.info('hook answered', { serviceArn, attempt, lifecycleStage: payload.lifecycleStage, ...outcome });
    return outcome.answer;
  });
