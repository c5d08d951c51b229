import { setTimeout as sleep } from 'node:timers/promises';
import { nameOf } from '../domain/names.js';
import type { ScalingRecord } from '../domain/scaling.js';
import { NotScalableError, OutOfBoundsError, ScalingConflictError, UnknownServiceError } from './errors.js';
import type { Clock, ScalingRecords, ServiceControl } from './ports.js';
import { ownEntry, type NamedEnvironment } from '../domain/environment.js';

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
  /** How long the autoscaler leaves the count alone; 0 sets the count with no hold (and ends one). */
  holdMinutes: number;
  /** Who asked: recorded on the hold. */
  by: string;
}

export type ScaleHold = NonNullable<ScalingRecord['hold']>;

export interface HeldScale {
  environment: string;
  service: string;
  desiredCount: number;
  /** Null when the count was set without a hold: the autoscaler may change it at its next pass. */
  hold: ScaleHold | null;
}

export interface EndedHold {
  environment: string;
  service: string;
  /** The hold that was ended, or null when none was in force. */
  ended: ScaleHold | null;
}

const SAVE_ATTEMPTS = 10;

/**
 * Writes the hold, or removes it when `hold` is undefined (retrying when the autoscaler writes at the
 * same moment), so the autoscaler sees it. Returns the hold that was stored before.
 */
async function saveHold(
  ports: Pick<HoldScalePorts, 'scaling' | 'pause'>,
  environment: string,
  queue: string,
  hold: ScaleHold | undefined,
): Promise<ScaleHold | undefined> {
  const pause = ports.pause ?? sleep;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt += 1) {
    const stored = await ports.scaling.get(environment, queue);
    const { hold: before, ...rest } = stored?.record ?? { state: {} };
    const record: ScalingRecord = hold ? { ...rest, hold } : rest;
    if (await ports.scaling.save(environment, queue, record, stored?.version ?? 0)) return before;
    // Jittered, so that writers racing for the record do not collide again in step.
    await pause(10 + Math.random() * 40 * (attempt + 1));
  }
  throw new ScalingConflictError(queue);
}

/** The service and the queue it reads; only such a service is scaled (and held) by the conductor. */
function queueDriven({ name, env }: NamedEnvironment, serviceKey: string) {
  const service = ownEntry(env.services, serviceKey);
  if (!service) throw new UnknownServiceError(name, serviceKey);
  const queued = Object.entries(env.queues).find(([, queue]) => queue.service === serviceKey);
  if (!queued) throw new NotScalableError(serviceKey);
  const [queueKey, queue] = queued;
  return { service, queueKey, queue };
}

/**
 * Sets a queue-driven service's desired count by hand and holds it there: the hold is saved first, so
 * the autoscaler (which reads it) leaves the count alone until it ends. Only a service that reads a
 * queue can be held, and only within that queue's [minTasks, maxTasks]. With `holdMinutes` 0 the
 * count is set with no hold, and a hold in force ends.
 */
export async function holdServiceScale(
  ports: HoldScalePorts,
  target: NamedEnvironment,
  request: HoldScaleRequest,
): Promise<HeldScale> {
  const { service, queueKey, queue } = queueDriven(target, request.service);
  if (request.desiredCount < queue.minTasks || request.desiredCount > queue.maxTasks) {
    throw new OutOfBoundsError(request.service, queue.minTasks, queue.maxTasks);
  }
  const hold =
    request.holdMinutes > 0
      ? {
          desiredCount: request.desiredCount,
          until: new Date(ports.clock.now().getTime() + request.holdMinutes * 60_000).toISOString(),
          by: request.by,
        }
      : undefined;
  await saveHold(ports, target.name, queueKey, hold);
  await ports.services.setDesiredCount(target.env.cluster, nameOf(service.service), request.desiredCount);
  return { environment: target.name, service: request.service, desiredCount: request.desiredCount, hold: hold ?? null };
}

/** Ends a service's manual hold now: the autoscaler decides its count again from its next pass. */
export async function endServiceHold(
  ports: Pick<HoldScalePorts, 'scaling' | 'clock' | 'pause'>,
  target: NamedEnvironment,
  serviceKey: string,
): Promise<EndedHold> {
  const { queueKey } = queueDriven(target, serviceKey);
  const before = await saveHold(ports, target.name, queueKey, undefined);
  const inForce = before && Date.parse(before.until) > ports.clock.now().getTime() ? before : null;
  return { environment: target.name, service: serviceKey, ended: inForce };
}
