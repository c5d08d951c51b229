import { setTimeout as sleep } from 'node:timers/promises';
import { ownEntry, type NamedEnvironment } from '../config/lookup.js';
import { nameOf } from '../domain/names.js';
import type { ScalingRecord } from '../domain/scaling.js';
import { NotScalableError, OutOfBoundsError, ScalingConflictError, UnknownServiceError } from './errors.js';
import type { Clock, ScalingRecords, ServiceControl } from './ports.js';

export interface HoldScalePorts {
  scaling: Pick<ScalingRecords, 'get' | 'save'>;
  services: Pick<ServiceControl, 'setDesiredCount'>;
  clock: Clock;
  /** Waits between attempts to save the hold (a timer unless a test passes its own). */
  pause?: (ms: number) => Promise<unknown>;
}

export interface HoldScaleRequest {
  /** The service's key in the environment's `services`. */
  service: string;
  desiredCount: number;
  holdMinutes: number;
  /** Who asked: recorded on the hold. */
  by: string;
}

export type ScaleHold = NonNullable<ScalingRecord['hold']>;

export interface HeldScale {
  environment: string;
  service: string;
  desiredCount: number;
  hold: ScaleHold;
}

const SAVE_ATTEMPTS = 10;

/** Writes the hold (retrying when the autoscaler writes at the same moment), so the autoscaler sees it. */
async function saveHold(ports: HoldScalePorts, environment: string, queue: string, hold: ScaleHold): Promise<void> {
  const pause = ports.pause ?? sleep;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt += 1) {
    const stored = await ports.scaling.get(environment, queue);
    const record = { ...(stored?.record ?? { state: {} }), hold };
    if (await ports.scaling.save(environment, queue, record, stored?.version ?? 0)) return;
    // Jittered, so that writers racing for the record do not collide again in step.
    await pause(10 + Math.random() * 40 * (attempt + 1));
  }
  throw new ScalingConflictError(queue);
}

/**
 * Sets a queue-driven service's desired count by hand and holds it there: the hold is saved first, so
 * the autoscaler (which reads it) leaves the count alone until it ends. Only a service that reads a
 * queue can be held, and only within that queue's [minTasks, maxTasks].
 */
export async function holdServiceScale(
  ports: HoldScalePorts,
  { name, env }: NamedEnvironment,
  request: HoldScaleRequest,
): Promise<HeldScale> {
  const service = ownEntry(env.services, request.service);
  if (!service) throw new UnknownServiceError(name, request.service);
  const queued = Object.entries(env.queues).find(([, queue]) => queue.service === request.service);
  if (!queued) throw new NotScalableError(request.service);
  const [queueKey, queue] = queued;
  if (request.desiredCount < queue.minTasks || request.desiredCount > queue.maxTasks) {
    throw new OutOfBoundsError(request.service, queue.minTasks, queue.maxTasks);
  }
  const hold = {
    desiredCount: request.desiredCount,
    until: new Date(ports.clock.now().getTime() + request.holdMinutes * 60_000).toISOString(),
    by: request.by,
  };
  await saveHold(ports, name, queueKey, hold);
  await ports.services.setDesiredCount(env.cluster, nameOf(service.service), request.desiredCount);
  return { environment: name, service: request.service, desiredCount: request.desiredCount, hold };
}
