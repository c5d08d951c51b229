import type { ScalingRecord } from '../domain/scaling.js';
import type { EnvironmentScaling, ScalingRecords, StoredScaling } from '../use-cases/ports.js';
import { ENVIRONMENT_LOCK_SK, environmentLockOf, environmentPk } from './environment-records.js';
import type { StateItem, StateTable } from './state-table.js';

const SCALING_PREFIX = 'SCALING#';
const key = (environment: string, queue: string) => ({
  pk: environmentPk(environment),
  sk: `${SCALING_PREFIX}${queue}`,
});
const storedOf = (item: StateItem): StoredScaling => ({
  record: item.record as ScalingRecord,
  version: item.version ?? 0,
});

/** Scaling records at `ENV#<env>`/`SCALING#<queue>`, written with optimistic concurrency. */
export function createScalingStore(table: StateTable): ScalingRecords {
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

  async function save(environment: string, queue: string, record: ScalingRecord, expectedVersion: number) {
    const { pk, sk } = key(environment, queue);
    if (expectedVersion === 0) return table.putIfAbsent({ pk, sk, version: 1, record });
    return (await table.updateIfVersion(pk, sk, expectedVersion, { record })) !== undefined;
  }

  return { get, readEnvironment, save };
}
