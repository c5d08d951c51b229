import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { loadAutoscaleSettings } from '../config/runtime.js';
import { parseTick, type ChainTrigger } from '../domain/autoscale-chain.js';
import { autoscaleEnvironment, type AutoscaleOutcome } from '../use-cases/autoscale-service.js';
import { driveAutoscaleChain } from '../use-cases/drive-autoscale-chain.js';
import { createScalingHistoryRecorder } from '../use-cases/record-scaling-history.js';
import { logger } from './observability.js';
import { chainSummary, environmentFailure, scalingSummary, type PassDecisions } from './summaries.js';
import { autoscaleChainPorts, autoscalePorts, config, stateAdapters } from './wiring.js';
import { forEachConcurrently } from './worker-pool.js';

const { recheckSeconds, tickQueue, metricsNamespace } = loadAutoscaleSettings();
const metrics = new Metrics({ namespace: metricsNamespace, serviceName: 'ecs-conductor' });
const ports = autoscalePorts();
const chainPorts = autoscaleChainPorts(tickQueue);
// Per container, not per invocation: each tick is its own invocation, and the recorder keeps one
// sample a minute only by remembering the minutes it has sampled.
const history = createScalingHistoryRecorder(stateAdapters.history, (error, { environment, queue }) => {
  logger.warn('scaling history not recorded', { environment, queue, error });
});
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

/** One pass over every environment; each decision (or an environment's failure) goes to `decided`. */
async function pass(decided: PassDecisions): Promise<void> {
  await forEachConcurrently(Object.entries(config.environments), CONCURRENCY, async ([name, env]) => {
    try {
      const outcomes = await autoscaleEnvironment(ports, env, name);
      outcomes.forEach(record);
      decided.push(...outcomes.map(scalingSummary));
      // What the console's queue chart shows: a sample a minute per service, and every change.
      await history.observe(outcomes.filter((outcome) => outcome.applied));
    } catch (error) {
      logger.error('environment not autoscaled', { environment: name, error });
      decided.push(environmentFailure(name, error));
    }
  });
}

function passFailed(error: unknown): void {
  logger.error('autoscale pass failed; the chain goes on', { error });
}

/** A tick per SQS record (batch size 1), or the schedule; a message that is no tick is dropped. */
function triggersOf(event: unknown): ChainTrigger[] {
  const records = (event as { Records?: SQSRecord[] } | null)?.Records;
  if (!Array.isArray(records)) return [{ kind: 'schedule' }];
  return records.flatMap((message): ChainTrigger[] => {
    const tick = parseTick(message.body);
    if (!tick) logger.warn('not an autoscale tick; dropped', { messageId: message.messageId });
    return tick ? [{ kind: 'tick', tick }] : [];
  });
}

/**
 * Each queue-driven service's desired count from its SQS backlog, every `recheckSeconds`: a chain of
 * delayed ticks on the tick queue, each one invocation of one pass, so nothing sleeps between checks.
 * The one-minute schedule restarts the chain when it breaks (domain/autoscale-chain.ts).
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const passes = [];
    for (const trigger of triggersOf(event)) {
      const decided: PassDecisions = [];
      const outcome = await driveAutoscaleChain(chainPorts, trigger, recheckSeconds, () => pass(decided), passFailed);
      const { step, ran } = outcome;
      logger.info('autoscale chain', {
        trigger: trigger.kind,
        action: step.action,
        ran,
        ...(step.action === 'none' ? { reason: step.reason } : step.tick),
      });
      passes.push(chainSummary(trigger.kind, outcome, decided));
    }
    return { outcome: 'autoscaled', passes };
  });
