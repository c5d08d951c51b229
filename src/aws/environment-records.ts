import type { RerunRetry } from '../domain/auto-deploy.js';
import type {
  CurrentRelease,
  CurrentReleases,
  EnvironmentLock,
  EnvironmentLocks,
  EnvironmentState,
} from '../use-cases/ports.js';
import type { StateItem, StateTable } from './state-table.js';

/**
 * An environment's own rows in its partition `ENV#<env>`: the rollout lock (`LOCK`, a lease) and the
 * release it runs (`CURRENT`). The autoscaler's records share the partition (scaling-store.ts).
 */
export const environmentPk = (environment: string) => `ENV#${environment}`;
export const ENVIRONMENT_LOCK_SK = 'LOCK';
const CURRENT_SK = 'CURRENT';

/** The lock row as the core reads it; the owner is `<releaseId>@<request>`. */
export function environmentLockOf(item: StateItem): EnvironmentLock {
  const owner = String(item.owner);
  return { owner, releaseId: owner.split('@')[0] ?? owner, leaseExpiresAt: Number(item.leaseExpiresAt) };
}

function currentReleaseOf(item: StateItem): CurrentRelease {
  const retry = item.rerunRetry as RerunRetry | null | undefined;
  return {
    releaseId: String(item.releaseId),
    since: String(item.since),
    deploymentTaskRunAt: typeof item.deploymentTaskRunAt === 'string' ? item.deploymentTaskRunAt : null,
    ...(retry ? { rerunRetry: retry } : {}),
  };
}

/** The row's attributes: a cleared retry is written as null, since an update only sets what it is given. */
function currentAttributes(current: CurrentRelease): Record<string, unknown> {
  return { ...current, rerunRetry: current.rerunRetry ?? null };
}

export function createEnvironmentLocks(table: StateTable): EnvironmentLocks {
  return {
    lock: (environment, owner, leaseSeconds, now) =>
      table.acquireLease(environmentPk(environment), ENVIRONMENT_LOCK_SK, owner, leaseSeconds, now),
    holder: async (environment) => {
      const item = await table.getItem(environmentPk(environment), ENVIRONMENT_LOCK_SK);
      return item ? environmentLockOf(item) : undefined;
    },
    unlock: (environment, owner) => table.releaseLease(environmentPk(environment), ENVIRONMENT_LOCK_SK, owner),
  };
}

export function createCurrentReleases(table: StateTable): CurrentReleases {
  async function setCurrent(environment: string, current: CurrentRelease): Promise<void> {
    const stored = await table.getItem(environmentPk(environment), CURRENT_SK);
    if (stored) {
      await table.updateIfVersion(
        environmentPk(environment),
        CURRENT_SK,
        stored.version ?? 0,
        currentAttributes(current),
      );
    } else {
      await table.putIfAbsent({
        pk: environmentPk(environment),
        sk: CURRENT_SK,
        version: 1,
        ...currentAttributes(current),
      });
    }
  }

  async function current(environment: string): Promise<CurrentRelease | undefined> {
    const item = await table.getItem(environmentPk(environment), CURRENT_SK);
    return item ? currentReleaseOf(item) : undefined;
  }

  /** The lock and the current release from one strongly consistent Query of the partition. */
  async function environmentState(environment: string): Promise<EnvironmentState> {
    const items = await table.queryPartition(environmentPk(environment));
    const lock = items.find((item) => item.sk === ENVIRONMENT_LOCK_SK);
    const currentItem = items.find((item) => item.sk === CURRENT_SK);
    return { lock: lock && environmentLockOf(lock), current: currentItem && currentReleaseOf(currentItem) };
  }

  return { current, setCurrent, environmentState };
}
