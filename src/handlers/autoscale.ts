import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { autoscaleEnvironment, type AutoscaleOutcome } from '../use-cases/autoscale-service.js';
import { driveAutoscaleChain } from '../use-cases/drive-autoscale-chain.js';
import { triggersOf, type AutoscaleTrigger } from './events/autoscale-triggers.js';
import { CONDUCTOR_SERVICE } from '../domain/names.js';
import { logger } from './observability.js';
import { chainSummary, environmentFailure, scalingSummary, type PassDecisions } from './summaries.js';
import { autoscaleWiring, config } from './wiring.js';
import { forEachConcurrently } from './worker-pool.js';

const { settings, ports, chain, history } = autoscaleWiring();
const metrics = new Metrics({ namespace: settings.metricsNamespace, serviceName: CONDUCTOR_SERVICE });
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
  logger.error('autoscale pass failed; the next one tries again', { error });
}

/** One trigger's pass (or none, when the chain says so) and what it decided. */
async function serve(trigger: AutoscaleTrigger) {
  const decided: PassDecisions = [];
  if (trigger.kind === 'request') {
    await pass(decided).catch(passFailed);
    logger.info('autoscale pass on request', { decisions: decided.length });
    return { trigger: trigger.kind, ran: true, action: 'pass', decisions: decided };
  }
  const outcome = await driveAutoscaleChain(chain, trigger, settings.recheckSeconds, () => pass(decided), passFailed);
  const { step, ran } = outcome;
  logger.info('autoscale chain', {
    trigger: trigger.kind,
    action: step.action,
    ran,
    ...(step.action === 'none' ? { reason: step.reason } : step.tick),
  });
  return chainSummary(trigger.kind, outcome, decided);
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
    for (const trigger of triggersOf(event)) passes.push(await serve(trigger));
    return { outcome: 'autoscaled', passes };
  });
