import type { ManualHold, ScalingState } from '../domain/scaling.js';
import { ENVIRONMENT_LOCK_SK, environmentLockOf, type EnvironmentLock } from './release-store.js';
import type { StateItem, StateTable } from './state-table.js';

/** The autoscaler's memory for one queue-driven service, between invocations. */
export interface ScalingRecord {
  state: ScalingState;
  /**
   * The last stored decision, made at `at`. Decisions that change nothing are not stored, so it can be
   * up to half a stabilization window older than the autoscaler's latest check.
   */
  lastDecision?: { at: string; desiredCount: number; change: boolean; reason: string };
  hold?: { desiredCount: number; until: string; by: string };
}

export interface StoredScaling {
  record: ScalingRecord;
  version: number;
}

/** What the autoscaler reads of one environment's partition: its scaling records and rollout lock. */
export interface EnvironmentScaling {
  /** Stored records by queue key. */
  records: Map<string, StoredScaling>;
  lock: EnvironmentLock | undefined;
}

const SCALING_PREFIX = 'SCALING#';
const environmentPk = (environment: string) => `ENV#${environment}`;
const key = (environment: string, queue: string) => ({
  pk: environmentPk(environment),
  sk: `${SCALING_PREFIX}${queue}`,
});
const storedOf = (item: StateItem): StoredScaling => ({
  record: item.record as ScalingRecord,
  version: item.version ?? 0,
});

/** Scaling records at `ENV#<env>`/`SCALING#<queue>`, written with optimistic concurrency. */
export function createScalingStore(table: StateTable) {
  async function get(environment: string, queue: string): Promise<StoredScaling | undefined> {
    const { pk, sk } = key(environment, queue);
    const item = await table.getItem(pk, sk);
    return item ? storedOf(item) : undefined;
  }

  /**
   * Every scaling record of the environment and its rollout lock, from one strongly consistent Query
   * of `ENV#<env>` (the partition's few other rows, such as CURRENT, are read and left out).
   */
  async function readEnvironment(environment: string): Promise<EnvironmentScaling> {
    const items = await table.queryPartition(environmentPk(environment));
    const records = new Map(
      items
        .filter((item) => item.sk.startsWith(SCALING_PREFIX))
        .map((item) => [item.sk.slice(SCALING_PREFIX.length), storedOf(item)]),
    );
    const lock = items.find((item) => item.sk === ENVIRONMENT_LOCK_SK);
    return { records, lock: lock ? environmentLockOf(lock) : undefined };
  }

  /** Saves the record if nobody wrote since `expectedVersion` was read (0: the first write); false otherwise. */
  async function save(
    environment: string,
    queue: string,
    record: ScalingRecord,
    expectedVersion: number,
  ): Promise<boolean> {
    const { pk, sk } = key(environment, queue);
    if (expectedVersion === 0) return table.putIfAbsent({ pk, sk, version: 1, record });
    return (await table.updateIfVersion(pk, sk, expectedVersion, { record })) !== undefined;
  }

  return { get, readEnvironment, save };
}

export type ScalingStore = ReturnType<typeof createScalingStore>;

/** The hold as the decision function takes it, if one is set. */
export function holdOf(record: ScalingRecord | undefined): ManualHold | undefined {
  return record?.hold ? { desiredCount: record.hold.desiredCount, until: Date.parse(record.hold.until) } : undefined;
}
