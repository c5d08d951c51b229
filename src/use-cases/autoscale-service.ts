import type { ServiceState } from '../domain/ecs-state.js';
import { servicesInRollout } from '../domain/rollout.js';
import type { AutoscalePorts, StoredScaling } from './ports.js';
import { ecsServiceName } from '../domain/names.js';
import {
  decideDesiredCount,
  holdOf,
  type QueueBacklog,
  type ScalingDecision,
  type ScalingRecord,
  type ServiceCounts,
} from '../domain/scaling.js';
import type { Environment, QueuePolicy } from '../domain/environment.js';

/** The environment's scaling records, and the services a rollout holding its lock is changing. */
async function readState(ports: AutoscalePorts, environment: string) {
  const { records, lock } = await ports.scaling.readEnvironment(environment);
  // The lock's release is read only while a rollout holds the lock: one Query a pass otherwise.
  const holder = lock && (await ports.releases.get(lock.releaseId))?.release;
  return { records, inRollout: servicesInRollout(holder) };
}

export interface AutoscaleOutcome {
  environment: string;
  queue: string;
  service: string;
  /** When the pass read the queue and the service. */
  at: Date;
  counts: ServiceCounts;
  backlog: QueueBacklog;
  decision: ScalingDecision;
  /** False when another invocation decided first (its decision stands; no write from this one). */
  applied: boolean;
  /** True when this invocation wrote the scaling record (a change, new evidence or the heartbeat). */
  recorded: boolean;
}

/** Every queue the service consumes, added up: one decision for the service (QueuePolicy.alsoQueues). */
export async function serviceBacklog(
  ports: { queues: Pick<AutoscalePorts['queues'], 'queueBacklog'> },
  queue: QueuePolicy,
): Promise<QueueBacklog> {
  const backlogs = await Promise.all([queue.queue, ...queue.alsoQueues].map((name) => ports.queues.queueBacklog(name)));
  return backlogs.reduce((sum, backlog) => ({
    visible: sum.visible + backlog.visible,
    inFlight: sum.inFlight + backlog.inFlight,
    delayed: sum.delayed + backlog.delayed,
  }));
}

/** One queue-driven service as this pass saw it. */
interface Observed {
  queueKey: string;
  queue: QueuePolicy;
  service: ServiceState;
  backlog: QueueBacklog;
  stored: StoredScaling | undefined;
  rolloutActive: boolean;
}

/**
 * One queue-driven service, once: decide (pure) from what the pass read → record the decision if
 * it changed anything or the heartbeat is due → at most one UpdateService. The record is written
 * with optimistic concurrency before any UpdateService, and a change always needs the write: a
 * concurrent decision wins it and this one does nothing, so two invocations never both scale.
 */
async function autoscaleService(
  ports: AutoscalePorts,
  env: Environment,
  environment: string,
  seen: Observed,
): Promise<AutoscaleOutcome> {
  const { queueKey, queue, service, backlog, stored } = seen;
  const now = ports.now();
  const decision = decideDesiredCount({
    now,
    backlog,
    service: { desired: service.desiredCount, running: service.runningCount, pending: service.pendingCount },
    policy: queue,
    state: stored?.record.state ?? {},
    hold: holdOf(stored?.record),
    rolloutActive: seen.rolloutActive,
  });
  const counts = { desired: service.desiredCount, running: service.runningCount, pending: service.pendingCount };
  const outcome = { environment, queue: queueKey, service: queue.service, at: now, backlog, counts, decision };
  // Nothing new to remember and no change to make: the stored record stands, no write.
  if (decision.store === 'none') return { ...outcome, applied: true, recorded: false };
  const record: ScalingRecord = {
    ...stored?.record,
    state: decision.nextState,
    lastDecision: {
      at: now.toISOString(),
      desiredCount: decision.desiredCount,
      change: decision.change,
      reason: decision.reason,
    },
  };
  // Record first: only the invocation whose record lands may call UpdateService.
  const applied = await ports.scaling.save(environment, queueKey, record, stored?.version ?? 0);
  if (applied && decision.change)
    await ports.services.setDesiredCount(env.cluster, ecsServiceName(env, queue.service), decision.desiredCount);
  return { ...outcome, applied, recorded: applied };
}

/**
 * Every queue-driven service of one environment. Its reads go out at once: one DescribeServices per
 * 10 services, one GetQueueAttributes per queue and one state read for all of them.
 */
export async function autoscaleEnvironment(
  ports: AutoscalePorts,
  env: Environment,
  environment: string,
): Promise<AutoscaleOutcome[]> {
  const queues = Object.entries(env.queues);
  if (queues.length === 0) return [];
  const names = queues.map(([, queue]) => ecsServiceName(env, queue.service));
  const [described, state, backlogs] = await Promise.all([
    ports.services.describeServices(env.cluster, names),
    readState(ports, environment),
    Promise.all(queues.map(([, queue]) => serviceBacklog(ports, queue))),
  ]);
  const observed = queues.flatMap(([queueKey, queue], index): Observed[] => {
    const service = described.services.find((candidate) => candidate.name === names[index]);
    const backlog = backlogs[index];
    // A service ECS does not know (missing, misconfigured) is left alone.
    if (!service || !backlog) return [];
    return [
      {
        queueKey,
        queue,
        service,
        backlog,
        stored: state.records.get(queueKey),
        rolloutActive: state.inRollout.has(queue.service),
      },
    ];
  });
  return Promise.all(observed.map((seen) => autoscaleService(ports, env, environment, seen)));
}
