import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { advanceRolloutOf } from '../use-cases/roll-out.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { ecsDeploymentStateChangeEvent, ecsHookStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { rolloutEventSummary } from './summaries.js';
import { config, rolloutPorts, stateAdapters } from './wiring.js';

type DeploymentEvent = z.output<typeof ecsDeploymentStateChangeEvent>;
type HookEvent = z.output<typeof ecsHookStateChangeEvent>;

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
const deploymentHandler = middy()
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

/** The service deployment a hook event is about. */
function serviceDeploymentOf({ detail, resources }: HookEvent): string {
  return detail.serviceDeploymentArn ?? resources.find((arn) => arn.includes(':service-deployment/')) ?? '';
}

async function irrelevantHook(event: HookEvent) {
  const serviceDeploymentArn = serviceDeploymentOf(event);
  const { eventName } = event.detail;
  if (!serviceDeploymentArn) return { eventName, reason: 'names no service deployment' };
  if (!(await stateAdapters.index.findDeployment(serviceDeploymentArn)))
    return { serviceDeploymentArn, eventName, reason: 'deployment not started by the conductor' };
  return undefined;
}

/**
 * A lifecycle hook of a conductor's native deployment changed (a PAUSE hook awaiting action, one
 * that timed out) → its release is looked at again: DescribeServiceDeployments says which hook waits,
 * and the release waits for approval there (domain/decide-rollout.ts). Reconcile covers a lost event.
 */
const hookHandler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(ecsHookStateChangeEvent, irrelevantHook))
  .use(idempotentOn('id'))
  .handler(async (raw: unknown, context: Context) => {
    const event = raw as HookEvent;
    const serviceDeploymentArn = serviceDeploymentOf(event);
    const { eventName, hookId } = event.detail;
    const releaseId = (await stateAdapters.index.findDeployment(serviceDeploymentArn)) ?? '';
    const release = await advanceRolloutOf(rolloutPorts(context.awsRequestId), config.environments, releaseId);
    logger.info('lifecycle hook change acted on', {
      serviceDeploymentArn,
      eventName,
      hookId,
      releaseId,
      releaseState: release?.state,
    });
    return rolloutEventSummary(releaseId, release, { serviceDeploymentArn, eventName, hookId });
  });

/** One function for ECS's deployment and hook events (two rules): each kind has its own edge. */
export const handler = (event: unknown, context: Context) =>
  (event as { 'detail-type'?: unknown } | null)?.['detail-type'] === 'ECS Hook State Change'
    ? hookHandler(event, context)
    : deploymentHandler(event, context);
