import { describe, expect, it } from 'vitest';
import type { ScalingRecord } from '../../../src/domain/scaling.js';
import {
  NotScalableError,
  OutOfBoundsError,
  ScalingConflictError,
  UnknownServiceError,
} from '../../../src/use-cases/errors.js';
import { holdServiceScale, type HoldScalePorts } from '../../../src/use-cases/hold-service-scale.js';
import type { StoredScaling } from '../../../src/use-cases/ports.js';
import { exampleEnvironment } from '../../support/example-config.js';

const target = exampleEnvironment();
const { name: ENV } = target;
const OPERATOR = 'arn:aws:iam::123456789012:role/cgap-release';
const NOW = new Date('2026-11-25T15:00:00.000Z');

/**
 * Scaling records with optimistic versions, as the state table keeps them; `racingWrites` is how
 * many saves lose to the autoscaler writing the record at the same moment (it bumps the version).
 */
function world(options: { stored?: ScalingRecord; racingWrites?: number } = {}) {
  const records = new Map<string, StoredScaling>();
  if (options.stored) records.set(`${ENV}/ingestion`, { record: options.stored, version: 4 });
  let racing = options.racingWrites ?? 0;
  const desiredCounts: { cluster: string; service: string; count: number }[] = [];
  const pauses: number[] = [];
  const ports: HoldScalePorts = {
    scaling: {
      get: (environment, queue) => Promise.resolve(structuredClone(records.get(`${environment}/${queue}`))),
      save: (environment, queue, record, expectedVersion) => {
        const key = `${environment}/${queue}`;
        const current = records.get(key);
        if (racing > 0 && current) {
          racing -= 1;
          records.set(key, { ...current, version: current.version + 1 });
          return Promise.resolve(false);
        }
        if ((current?.version ?? 0) !== expectedVersion) return Promise.resolve(false);
        records.set(key, { record, version: expectedVersion + 1 });
        return Promise.resolve(true);
      },
    },
    services: {
      setDesiredCount: (cluster, service, count) => {
        desiredCounts.push({ cluster, service, count });
        return Promise.resolve();
      },
    },
    clock: { now: () => NOW },
    pause: (ms) => {
      pauses.push(ms);
      return Promise.resolve();
    },
  };
  return { ports, records, desiredCounts, pauses };
}

const request = { service: 'ingester', desiredCount: 3, holdMinutes: 30, by: OPERATOR };
const hold = { desiredCount: 3, until: '2026-11-25T15:30:00.000Z', by: OPERATOR };

describe('holdServiceScale', () => {
  it('saves the hold on the queue’s scaling record, then sets the service’s desired count', async () => {
    const { ports, records, desiredCounts } = world();
    expect(await holdServiceScale(ports, target, request)).toEqual({
      environment: ENV,
      service: 'ingester',
      desiredCount: 3,
      hold,
    });
    expect(records.get(`${ENV}/ingestion`)).toEqual({ record: { state: {}, hold }, version: 1 });
    expect(desiredCounts).toEqual([{ cluster: 'cgap-mastertest', service: 'cgap-mastertest-ingester', count: 3 }]);
  });

  it('keeps what the autoscaler stored beside the hold, and retries when the autoscaler writes meanwhile', async () => {
    const stored: ScalingRecord = {
      state: { checkedAt: 1, emptySince: 2 },
      lastDecision: { at: '2026-11-25T14:59:00.000Z', desiredCount: 2, change: false, reason: 'steady' },
    };
    const { ports, records, pauses } = world({ stored, racingWrites: 2 });
    await holdServiceScale(ports, target, request);
    expect(records.get(`${ENV}/ingestion`)).toEqual({ record: { ...stored, hold }, version: 7 });
    expect(pauses).toHaveLength(2);
  });

  it('gives up with a conflict after ten lost races, leaving the count alone', async () => {
    const { ports, desiredCounts, pauses } = world({ stored: { state: {} }, racingWrites: 100 });
    await expect(holdServiceScale(ports, target, request)).rejects.toEqual(new ScalingConflictError('ingestion'));
    expect(pauses).toHaveLength(10);
    expect(desiredCounts).toEqual([]);
  });

  it.each([
    ['a service that reads no queue', { service: 'wsgi' }, new NotScalableError('wsgi')],
    ['a count under minTasks', { desiredCount: 0 }, new OutOfBoundsError('ingester', 1, 4)],
    ['a count over maxTasks', { desiredCount: 5 }, new OutOfBoundsError('ingester', 1, 4)],
    ['an unknown service', { service: 'worker' }, new UnknownServiceError(ENV, 'worker')],
    ['a key of Object.prototype', { service: 'constructor' }, new UnknownServiceError(ENV, 'constructor')],
  ])('refuses %s, writing nothing', async (_name, change, error) => {
    const { ports, records, desiredCounts } = world();
    await expect(holdServiceScale(ports, target, { ...request, ...change })).rejects.toEqual(error);
    expect(records.size).toBe(0);
    expect(desiredCounts).toEqual([]);
  });

  it('says which bounds a count must be within', () => {
    expect(new OutOfBoundsError('ingester', 1, 4).message).toBe('must be within [1, 4] for ingester');
  });
});
