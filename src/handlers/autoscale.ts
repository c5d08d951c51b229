import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadAutoscaleSettings } from '../config/runtime.js';
import { SCHEDULE_SECONDS } from '../domain/scaling.js';
import { autoscaleEnvironment, type AutoscaleOutcome } from '../use-cases/autoscale-service.js';
import { createScalingHistoryRecorder, type ScalingHistoryRecorder } from '../use-cases/record-scaling-history.js';
import { logger } from './observability.js';
import { autoscalePorts, config, stateAdapters } from './wiring.js';
import { forEachConcurrently } from './worker-pool.js';

const { recheckSeconds, metricsNamespace } = loadAutoscaleSettings();
const metrics = new Metrics({ namespace: metricsNamespace, serviceName: 'ecs-conductor' });
const ports = autoscalePorts();
/** Time left for one more pass; the function's timeout (75 s) leaves the rest for the last one. */
const PASS_MARGIN_MS = 10_000;
/**
 * Environments autoscaled at once. An environment's reads go out together (3 requests, 4 while a
 * rollout holds its lock), so 10 keep 30–40 in flight: under the SDK's 50 sockets, a bounded burst
 * every 15 s, and a pass of 100 environments is still only 10 rounds of one round trip (and a write
 * when one is due).
 */
const CONCURRENCY = 10;

/** One log line and one set of EMF metrics per decision, with the inputs behind it. */
function record(outcome: AutoscaleOutcome): void {
  const { decision, backlog } = outcome;
  logger.info('scaling decision', {
    environment: outcome.environment,
    queue: outcome.queue,
    // `service` is Powertools' own key (the service name): a field of that name would be dropped.
    serviceKey: outcome.service,
    visible: backlog.visible,
    inFlight: backlog.inFlight,
    delayed: backlog.delayed,
    need: decision.need,
    busyTasks: decision.busyTasks,
    desiredCount: decision.desiredCount,
    change: decision.change && outcome.applied,
    direction: decision.direction,
    reason: decision.reason,
    // Why the scaling record was written, or `none`: most passes write nothing.
    stored: outcome.recorded ? decision.store : 'none',
  });
  // One EMF record with all four under the service's dimensions. (A single metric publishes at each
  // addMetric and drops its dimensions, so only the first metric would have carried them.) Nothing
  // awaits in between, so concurrent environments cannot mix their metrics.
  metrics.addDimensions({ environment: outcome.environment, ecsService: outcome.service });
  metrics.addMetric('QueueVisible', MetricUnit.Count, backlog.visible);
  metrics.addMetric('QueueInFlight', MetricUnit.Count, backlog.inFlight);
  metrics.addMetric('DesiredCount', MetricUnit.Count, decision.desiredCount);
  metrics.addMetric('ScalingChanges', MetricUnit.Count, decision.change && outcome.applied ? 1 : 0);
  metrics.publishStoredMetrics();
}

async function pass(history: ScalingHistoryRecorder): Promise<void> {
  await forEachConcurrently(Object.entries(config.environments), CONCURRENCY, async ([name, env]) => {
    try {
      const outcomes = await autoscaleEnvironment(ports, env, name);
      outcomes.forEach(record);
      // What the console's queue chart shows: a sample a minute per service, and every change.
      await history.observe(outcomes.filter((outcome) => outcome.applied));
    } catch (error) {
      logger.error('environment not autoscaled', { environment: name, error });
    }
  });
}

/**
 * Every minute: each queue-driven service's desired count from its SQS backlog. One invocation
 * re-checks every `recheckSeconds` within its minute, so a backlog is acted on within ~15 s while
 * the schedule stays at EventBridge's one-minute floor.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (_event: unknown, context: Context) => {
    const started = Date.now();
    const history = createScalingHistoryRecorder(stateAdapters.history, (error, { environment, queue }) => {
      logger.warn('scaling history not recorded', { environment, queue, error });
    });
    for (;;) {
      await pass(history);
      const nextAt = Date.now() + recheckSeconds * 1000;
      if (
        nextAt - started >= SCHEDULE_SECONDS * 1000 ||
        context.getRemainingTimeInMillis() < recheckSeconds * 1000 + PASS_MARGIN_MS
      )
        return;
      await sleep(nextAt - Date.now());
    }
  });
