import type { ServicesDescription } from '../aws/ecs.js';
import { holdOf, type ScalingStore } from '../aws/scaling-store.js';
import { nameOf } from '../packaging/arns.js';
import type { EnvironmentConfig, QueueConfig } from '../config/schema.js';
import { decideDesiredCount, type QueueBacklog, type ScalingDecision } from '../domain/scaling.js';

export interface AutoscalePorts {
  scaling: ScalingStore;
  queueBacklog: (queue: string) => Promise<QueueBacklog>;
  describeServices: (cluster: string, names: string[]) => Promise<ServicesDescription>;
  setDesiredCount: (cluster: string, service: string, count: number) => Promise<void>;
  /** Services of the environment an active rollout is changing now. */
  servicesInRollout: (environment: string) => Promise<Set<string>>;
  now: () => Date;
}

export interface AutoscaleOutcome {
  environment: string;
  queue: string;
  service: string;
  backlog: QueueBacklog;
  decision: ScalingDecision;
  /** False when another invocation decided first (its decision stands; no write from this one). */
  applied: boolean;
}

function serviceName(env: EnvironmentConfig, key: string): string {
  return nameOf(env.services[key]?.service ?? key);
}

/**
 * One queue-driven service, once: read the backlog, the service and the stored state → decide
 * (pure) → at most one UpdateService → record the decision. A concurrent decision wins the state
 * write and this one writes nothing, so two invocations never both scale.
 */
export async function autoscaleService(
  ports: AutoscalePorts,
  env: EnvironmentConfig,
  environment: string,
  queueKey: string,
  queue: QueueConfig,
  described: ServicesDescription,
  inRollout: Set<string>,
): Promise<AutoscaleOutcome | undefined> {
  const name = serviceName(env, queue.service);
  const service = described.services.find((candidate) => candidate.name === name);
  if (!service) return undefined;
  const [backlog, stored] = await Promise.all([ports.queueBacklog(queue.queue), ports.scaling.get(environment, queueKey)]);
  const now = ports.now();
  const decision = decideDesiredCount({
    now,
    backlog,
    service: { desired: service.desiredCount, running: service.runningCount, pending: service.pendingCount },
    policy: queue,
    state: stored?.record.state ?? {},
    hold: holdOf(stored?.record),
    rolloutActive: inRollout.has(queue.service),
  });
  const record = {
    ...stored?.record,
    state: decision.nextState,
    lastDecision: { at: now.toISOString(), desiredCount: decision.desiredCount, change: decision.change, reason: decision.reason },
  };
  // Record first: only the invocation whose record lands may call UpdateService.
  const applied = await ports.scaling.save(environment, queueKey, record, stored?.version ?? 0);
  if (applied && decision.change) await ports.setDesiredCount(env.cluster, name, decision.desiredCount);
  return { environment, queue: queueKey, service: queue.service, backlog, decision, applied };
}

/** Every queue-driven service of one environment, with one DescribeServices per 10 services. */
export async function autoscaleEnvironment(ports: AutoscalePorts, env: EnvironmentConfig, environment: string): Promise<AutoscaleOutcome[]> {
  const queues = Object.entries(env.queues);
  if (queues.length === 0) return [];
  const names = queues.map(([, queue]) => serviceName(env, queue.service));
  const [described, inRollout] = await Promise.all([ports.describeServices(env.cluster, names), ports.servicesInRollout(environment)]);
  const outcomes = await Promise.all(queues.map(([key, queue]) => autoscaleService(ports, env, environment, key, queue, described, inRollout)));
  return outcomes.filter((outcome): outcome is AutoscaleOutcome => outcome !== undefined);
}
