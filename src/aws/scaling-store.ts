import type { ManualHold, ScalingState } from '../domain/scaling.js';
import type { StateTable } from './state-table.js';

/** The autoscaler's memory for one queue-driven service, between invocations. */
export interface ScalingRecord {
  state: ScalingState;
  lastDecision?: { at: string; desiredCount: number; change: boolean; reason: string };
  hold?: { desiredCount: number; until: string; by: string };
}

export interface StoredScaling {
  record: ScalingRecord;
  version: number;
}

const key = (environment: string, queue: string) => ({ pk: `ENV#${environment}`, sk: `SCALING#${queue}` });

/** Scaling records at `ENV#<env>`/`SCALING#<queue>`, written with optimistic concurrency. */
export function createScalingStore(table: StateTable) {
  async function get(environment: string, queue: string): Promise<StoredScaling | undefined> {
    const { pk, sk } = key(environment, queue);
    const item = await table.getItem(pk, sk);
    return item ? { record: item.record as ScalingRecord, version: item.version ?? 0 } : undefined;
  }

  /** Saves the record if nobody wrote since `expectedVersion` was read (0: the first write); false otherwise. */
  async function save(environment: string, queue: string, record: ScalingRecord, expectedVersion: number): Promise<boolean> {
    const { pk, sk } = key(environment, queue);
    if (expectedVersion === 0) return table.putIfAbsent({ pk, sk, version: 1, record });
    return (await table.updateIfVersion(pk, sk, expectedVersion, { record })) !== undefined;
  }

  return { get, save };
}

export type ScalingStore = ReturnType<typeof createScalingStore>;

/** The hold as the decision function takes it, if one is set. */
export function holdOf(record: ScalingRecord | undefined): ManualHold | undefined {
  return record?.hold ? { desiredCount: record.hold.desiredCount, until: Date.parse(record.hold.until) } : undefined;
}
