import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { ServiceState } from '../../../src/domain/ecs-state.js';
import type { StoredScaling } from '../../../src/use-cases/ports.js';
import { parseConductorConfig } from '../../../src/config/load.js';
import type { QueueBacklog, ScalingRecord } from '../../../src/domain/scaling.js';
import type { Release } from '../../../src/domain/release.js';
import { autoscaleEnvironment } from '../../../src/use-cases/autoscale-service.js';
import type { Environment } from '../../../src/domain/environment.js';

const config = parseConductorConfig(parse(readFileSync(new URL('../../../conductor.yml', import.meta.url), 'utf8')));
const ENVIRONMENT = 'cgap-mastertest';
const base = config.environments[ENVIRONMENT] as Environment;
const ingestion = base.queues.ingestion;
if (!ingestion) throw new Error('conductor.yml has no ingestion queue');
// Two queue-driven services, so that the per-environment reads show as shared; the indexer reads two
// queues, as CGAP's does ({env}-indexer-queue, {env}-secondary-indexer-queue).
const SECONDARY = 'cgap-mastertest-secondary-indexing-queue';
const env: Environment = {
  ...base,
  queues: {
    ingestion,
    indexing: { ...ingestion, queue: 'cgap-mastertest-indexing-queue', alsoQueues: [SECONDARY], service: 'indexer' },
  },
};
const T0 = Date.parse('2026-11-25T15:00:00Z');

function serviceState(name: string, desiredCount: number): ServiceState {
  return {
    name,
    arn: `arn:aws:ecs:us-east-1:123456789012:service/${ENVIRONMENT}/${name}`,
    status: 'ACTIVE',
    desiredCount,
    runningCount: desiredCount,
    pendingCount: 0,
    taskDefinitionArn: '',
    deployments: [],
  };
}

/** A release rolling the given services out now. */
function rollingOut(id: string, services: string[]): Release {
  const at = new Date(T0).toISOString();
  const steps = [{ kind: 'services' as const, services }];
  const release = { id, environment: ENVIRONMENT, version: '9.0.0', sourceDigest: 'sha256:s', builds: {} };
  return {
    ...release,
    ...{ state: 'DEPLOYING', triggeredBy: 'test', createdAt: at, updatedAt: at, timeline: [] },
    rollout: {
      ...{ kind: 'deploy', attempt: 1, steps, stepIndex: 0, stepStartedAt: at, services: {}, tasks: {} },
      ...{ triggeredBy: 'test', lockOwner: `${id}@req` },
    },
  };
}

/** An in-memory account: services, queues and versioned records, with every port call counted. */
function fakeAccount() {
  const desired = new Map([
    ['cgap-mastertest-ingester', 1],
    ['cgap-mastertest-indexer', 1],
  ]);
  const backlogs = new Map<string, QueueBacklog>();
  const records = new Map<string, StoredScaling>();
  const inRollout = new Set<string>();
  let clock = T0;
  const readEnvironment = vi.fn(() =>
    Promise.resolve({
      records: structuredClone(records),
      lock: inRollout.size > 0 ? { owner: 'rel-rolling@req', releaseId: 'rel-rolling', leaseExpiresAt: 0 } : undefined,
    }),
  );
  const ports = {
    scaling: {
      get: vi.fn(() => Promise.resolve(undefined)),
      readEnvironment,
      save: vi.fn((_environment: string, queue: string, record: ScalingRecord, expectedVersion: number) => {
        if ((records.get(queue)?.version ?? 0) !== expectedVersion) return Promise.resolve(false);
        records.set(queue, { record: structuredClone(record), version: expectedVersion + 1 });
        return Promise.resolve(true);
      }),
    },
    // While services are in a rollout, the lock names a DEPLOYING release whose current step rolls them.
    releases: { get: vi.fn((id: string) => Promise.resolve({ release: rollingOut(id, [...inRollout]), version: 1 })) },
    queues: {
      queueBacklog: vi.fn((queue: string) =>
        Promise.resolve(backlogs.get(queue) ?? { visible: 0, inFlight: 0, delayed: 0 }),
      ),
    },
    services: {
      describeServices: vi.fn((_cluster: string, names: string[]) =>
        Promise.resolve({ services: names.map((name) => serviceState(name, desired.get(name) ?? 0)), missing: [] }),
      ),
      setDesiredCount: vi.fn((_cluster: string, service: string, count: number) => {
        desired.set(service, count);
        return Promise.resolve();
      }),
    },
    now: () => new Date(clock),
  };
  const readState = ports.scaling.readEnvironment;
  const { describeServices, setDesiredCount } = ports.services;
  const { queueBacklog } = ports.queues;
  const pass = (afterSeconds = 15) => {
    clock += afterSeconds * 1000;
    return autoscaleEnvironment(ports, env, ENVIRONMENT);
  };
  const resetCounts = () => {
    [ports.scaling.save, readState, queueBacklog, describeServices, setDesiredCount].forEach((port) =>
      port.mockClear(),
    );
  };
  const spies = { readState, queueBacklog, describeServices, setDesiredCount };
  return { ports: spies, desired, backlogs, records, inRollout, pass, resetCounts, saves: ports.scaling.save };
}

let account: ReturnType<typeof fakeAccount>;

beforeEach(async () => {
  account = fakeAccount();
  account.backlogs.set(ingestion.queue, { visible: 1, inFlight: 0, delayed: 0 });
  account.backlogs.set('cgap-mastertest-indexing-queue', { visible: 1, inFlight: 0, delayed: 0 });
  await account.pass(0);
  account.resetCounts();
});

describe('autoscaleEnvironment', () => {
  it('reads once per environment: one state read and one DescribeServices for both services, one backlog per queue', async () => {
    await account.pass();
    expect(account.ports.readState).toHaveBeenCalledTimes(1);
    expect(account.ports.describeServices).toHaveBeenCalledTimes(1);
    expect(account.ports.describeServices).toHaveBeenCalledWith(ENVIRONMENT, [
      'cgap-mastertest-ingester',
      'cgap-mastertest-indexer',
    ]);
    expect(account.ports.queueBacklog.mock.calls.map(([queue]) => queue)).toEqual([
      ingestion.queue,
      'cgap-mastertest-indexing-queue',
      SECONDARY,
    ]);
  });

  it('scales a service that reads two queues on their sum, with one decision', async () => {
    account.backlogs.set(SECONDARY, { visible: 2, inFlight: 1, delayed: 0 });
    const outcomes = await account.pass();
    const indexing = outcomes.find((outcome) => outcome.queue === 'indexing');
    expect(indexing).toMatchObject({
      backlog: { visible: 3, inFlight: 1, delayed: 0 },
      decision: { change: true, desiredCount: 4 },
    });
    expect(account.ports.setDesiredCount).toHaveBeenCalledExactlyOnceWith(ENVIRONMENT, 'cgap-mastertest-indexer', 4);
  });

  it('the first pass creates each record (no record yet)', () => {
    expect([...account.records.keys()].sort()).toEqual(['indexing', 'ingestion']);
    expect(account.records.get('ingestion')).toMatchObject({
      version: 1,
      record: { lastDecision: { at: new Date(T0).toISOString(), desiredCount: 1, change: false } },
    });
  });

  it('writes nothing when nothing changed', async () => {
    const outcomes = await account.pass();
    expect(account.saves).not.toHaveBeenCalled();
    expect(account.ports.setDesiredCount).not.toHaveBeenCalled();
    expect(
      outcomes.map(({ queue, applied, recorded, decision }) => ({ queue, applied, recorded, store: decision.store })),
    ).toEqual([
      { queue: 'ingestion', applied: true, recorded: false, store: 'none' },
      { queue: 'indexing', applied: true, recorded: false, store: 'none' },
    ]);
    expect(account.records.get('ingestion')?.version).toBe(1);
  });

  it('writes a heartbeat every half stabilization window, and nothing in between', async () => {
    const halfWindow = ingestion.stabilizationSeconds / 2;
    for (let second = 15; second < halfWindow; second += 15) await account.pass();
    expect(account.saves).not.toHaveBeenCalled();
    const outcomes = await account.pass();
    expect(outcomes.map((outcome) => [outcome.decision.store, outcome.recorded])).toEqual([
      ['heartbeat', true],
      ['heartbeat', true],
    ]);
    expect(account.saves).toHaveBeenCalledTimes(2);
    expect(account.records.get('ingestion')?.record.lastDecision?.at).toBe(
      new Date(T0 + halfWindow * 1000).toISOString(),
    );
    expect(account.ports.setDesiredCount).not.toHaveBeenCalled();
  });

  it('writes the record and then scales when the backlog asks for a change', async () => {
    account.backlogs.set(ingestion.queue, { visible: 3, inFlight: 0, delayed: 0 });
    const [outcome] = await account.pass();
    expect(outcome).toMatchObject({
      queue: 'ingestion',
      applied: true,
      recorded: true,
      decision: { store: 'change', desiredCount: 3 },
    });
    expect(account.saves).toHaveBeenCalledTimes(1);
    expect(account.ports.setDesiredCount).toHaveBeenCalledExactlyOnceWith(ENVIRONMENT, 'cgap-mastertest-ingester', 3);
    expect(account.saves.mock.invocationCallOrder[0]).toBeLessThan(
      account.ports.setDesiredCount.mock.invocationCallOrder[0] ?? 0,
    );
    expect(account.records.get('ingestion')?.record.state.lastChange).toEqual({ at: T0 + 15_000, from: 1, to: 3 });
  });

  it('does not scale when another invocation wrote the record first', async () => {
    account.backlogs.set(ingestion.queue, { visible: 3, inFlight: 0, delayed: 0 });
    // The other invocation's write lands between this one's read and its write.
    account.ports.readState.mockImplementationOnce(() => {
      const state = { records: structuredClone(account.records), lock: undefined };
      const stored = account.records.get('ingestion');
      if (stored) account.records.set('ingestion', { ...stored, version: stored.version + 1 });
      return Promise.resolve(state);
    });
    const [outcome] = await account.pass();
    expect(outcome).toMatchObject({ queue: 'ingestion', applied: false, recorded: false, decision: { change: true } });
    expect(account.ports.setDesiredCount).not.toHaveBeenCalled();
  });

  it('leaves a service a rollout is changing alone, and stores only what it saw', async () => {
    account.inRollout.add('ingester');
    account.backlogs.set(ingestion.queue, { visible: 3, inFlight: 0, delayed: 0 });
    const [outcome] = await account.pass();
    // The backlog rose from 1 to 3: evidence for rule 6b's window (its level, the median of the last
    // three readings, rises on the next one), kept through the rollout.
    expect(outcome).toMatchObject({ queue: 'ingestion', decision: { change: false, store: 'state' }, recorded: true });
    expect(account.records.get('ingestion')?.record.state.backlogRose?.readings.at(-1)).toBe(3);
    const [rise] = await account.pass();
    expect(rise).toMatchObject({ decision: { change: false, store: 'state' }, recorded: true });
    expect(account.records.get('ingestion')?.record.state.backlogRose?.at).toBeDefined();
    await account.pass();
    const [same] = await account.pass();
    expect(same).toMatchObject({ decision: { change: false, store: 'none' }, recorded: false });
    expect(outcome?.decision.reason).toMatch(/^keep 1: a rollout of the service is in progress/);
    expect(account.ports.setDesiredCount).not.toHaveBeenCalled();
  });

  it('keeps a hold set by hand in the record it writes', async () => {
    const stored = account.records.get('ingestion');
    if (!stored) throw new Error('no record after the first pass');
    const hold = { desiredCount: 2, until: new Date(T0 + 3_600_000).toISOString(), by: 'someone' };
    account.records.set('ingestion', { record: { ...stored.record, hold }, version: stored.version + 1 });
    const [outcome] = await account.pass();
    expect(outcome).toMatchObject({ decision: { store: 'change', desiredCount: 2 }, recorded: true });
    expect(account.records.get('ingestion')?.record).toMatchObject({ hold, state: { heldUntil: T0 + 3_600_000 } });
    expect(account.ports.setDesiredCount).toHaveBeenCalledExactlyOnceWith(ENVIRONMENT, 'cgap-mastertest-ingester', 2);
  });
});
