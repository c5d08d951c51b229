import type { Release } from '../domain/release.js';
import type { ItemKey, StateItem, StateTable } from './state-table.js';

/**
 * Releases in the state table. Layout: the release at `RELEASE#<id>`/`RELEASE` (listed per environment
 * through gsi1, newest first), an index row per build at `BUILD#<buildId>`/`BUILD`, and short leases
 * at `RELEASE#<id>`/`CLAIM#<entrypoint>` so only one invocation starts a given build.
 */
const RELEASE_SK = 'RELEASE';
const releasePk = (id: string) => `RELEASE#${id}`;
const environmentReleases = (environment: string) => `ENV#${environment}#RELEASES`;
/** Read-modify-write attempts before giving up on a hot release. */
const MAX_ATTEMPTS = 8;

export interface StoredRelease {
  release: Release;
  version: number;
}

export interface ReleasePage {
  releases: Release[];
  /** Opaque cursor for the next page, absent on the last one. */
  cursor?: string;
}

/** The environment's rollout lock: who holds it, for which release, until when (epoch seconds). */
export interface EnvironmentLock {
  owner: string;
  releaseId: string;
  leaseExpiresAt: number;
}

/** Sort key of the rollout lock in the environment's partition `ENV#<env>`. */
export const ENVIRONMENT_LOCK_SK = 'LOCK';

/** The lock row as the conductor reads it; also read by the autoscaler's one query of the partition. */
export function environmentLockOf(item: StateItem): EnvironmentLock {
  const owner = String(item.owner);
  return { owner, releaseId: owner.split('@')[0] ?? owner, leaseExpiresAt: Number(item.leaseExpiresAt) };
}

/** Sort key of the release the environment runs, in its partition `ENV#<env>`. */
const CURRENT_SK = 'CURRENT';

function currentReleaseOf(item: StateItem): CurrentRelease {
  return {
    releaseId: String(item.releaseId),
    since: String(item.since),
    deploymentTaskRunAt: String(item.deploymentTaskRunAt),
  };
}

/** What reconcile reads of an environment's partition. */
export interface EnvironmentState {
  lock: EnvironmentLock | undefined;
  current: CurrentRelease | undefined;
}

/** Index rows a container remembers (a few hundred bytes each): enough for every build of a busy day. */
const REMEMBERED_INDEX_ROWS = 1000;

/**
 * A look-up of index rows that never change once written (build → release, deployment → release),
 * remembering what it found: an event's edge and its handler then read the row once, and a
 * redelivery none. A miss is not remembered: the row may be written a moment later.
 */
function rememberingFound<T>(lookup: (key: string) => Promise<T | undefined>): (key: string) => Promise<T | undefined> {
  const found = new Map<string, T>();
  return async (key) => {
    const known = found.get(key);
    if (known !== undefined) return known;
    const value = await lookup(key);
    if (value === undefined) return undefined;
    if (found.size >= REMEMBERED_INDEX_ROWS) found.delete(found.keys().next().value as string);
    found.set(key, value);
    return value;
  };
}

export interface BuildReference {
  releaseId: string;
  entrypoint: string;
}

function encodeCursor(key: ItemKey | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string | undefined): ItemKey | undefined {
  if (cursor === undefined) return undefined;
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (parsed === null || typeof parsed !== 'object') throw new Error('malformed cursor');
  return parsed as ItemKey;
}

export function createReleaseStore(table: StateTable) {
  /** Reads a release with its version, or undefined. */
  async function get(id: string): Promise<StoredRelease | undefined> {
    const item = await table.getItem(releasePk(id), RELEASE_SK);
    return item ? { release: item.release as Release, version: item.version ?? 0 } : undefined;
  }

  /** Stores a new release; false when one with its id exists (a redelivered trigger). */
  function create(release: Release): Promise<boolean> {
    return table.putIfAbsent({
      pk: releasePk(release.id),
      sk: RELEASE_SK,
      gsi1pk: environmentReleases(release.environment),
      gsi1sk: `${release.createdAt}#${release.id}`,
      version: 1,
      release,
    });
  }

  /**
   * Applies a pure transition to the stored release with optimistic concurrency, re-reading and
   * re-applying when another writer got there first. Returns the stored result, or undefined if the
   * release does not exist.
   */
  async function update(id: string, transition: (release: Release) => Release): Promise<Release | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const stored = await get(id);
      if (!stored) return undefined;
      const next = transition(stored.release);
      if (next === stored.release) return next;
      const written = await table.updateIfVersion(releasePk(id), RELEASE_SK, stored.version, { release: next });
      if (written) return next;
    }
    throw new Error(`release ${id} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
  }

  /** Takes the right to start one entrypoint's build for `leaseSeconds`. */
  function claimBuild(
    releaseId: string,
    entrypoint: string,
    owner: string,
    leaseSeconds: number,
    now: Date,
  ): Promise<boolean> {
    return table.acquireLease(releasePk(releaseId), `CLAIM#${entrypoint}`, owner, leaseSeconds, now);
  }

  /** Gives a build claim back after a failed start, so a retry need not wait for the lease to lapse. */
  function releaseBuildClaim(releaseId: string, entrypoint: string, owner: string): Promise<boolean> {
    return table.releaseLease(releasePk(releaseId), `CLAIM#${entrypoint}`, owner);
  }

  /** Remembers which release and entrypoint a build belongs to, for its state-change events. */
  async function indexBuild(buildId: string, reference: BuildReference): Promise<void> {
    await table.putIfAbsent({ pk: `BUILD#${buildId}`, sk: 'BUILD', ...reference });
  }

  const findBuild = rememberingFound(async (buildId: string): Promise<BuildReference | undefined> => {
    const item = await table.getItem(`BUILD#${buildId}`, 'BUILD');
    return item ? { releaseId: String(item.releaseId), entrypoint: String(item.entrypoint) } : undefined;
  });

  /** One page of an environment's releases, newest first. */
  async function listForEnvironment(
    environment: string,
    options: { limit: number; cursor?: string },
  ): Promise<ReleasePage> {
    const page = await table.queryByGsi1(environmentReleases(environment), {
      limit: options.limit,
      exclusiveStartKey: decodeCursor(options.cursor),
      newestFirst: true,
    });
    const cursor = encodeCursor(page.lastEvaluatedKey);
    return { releases: page.items.map((item) => item.release as Release), ...(cursor ? { cursor } : {}) };
  }

  const environmentPk = (environment: string) => `ENV#${environment}`;

  /**
   * Takes the environment's rollout lock for `owner` (`<releaseId>@<request>`) until the lease ends.
   * Returns false while another rollout holds an unexpired lease.
   */
  function lockEnvironment(environment: string, owner: string, leaseSeconds: number, now: Date): Promise<boolean> {
    return table.acquireLease(environmentPk(environment), ENVIRONMENT_LOCK_SK, owner, leaseSeconds, now);
  }

  /** Who holds the environment's lock (even if its lease lapsed), or undefined. */
  async function environmentLock(environment: string): Promise<EnvironmentLock | undefined> {
    const item = await table.getItem(environmentPk(environment), ENVIRONMENT_LOCK_SK);
    return item ? environmentLockOf(item) : undefined;
  }

  function unlockEnvironment(environment: string, owner: string): Promise<boolean> {
    return table.releaseLease(environmentPk(environment), ENVIRONMENT_LOCK_SK, owner);
  }

  /** Records the release the environment now runs (after a completed rollout). */
  async function setCurrent(environment: string, current: CurrentRelease): Promise<void> {
    const stored = await table.getItem(environmentPk(environment), CURRENT_SK);
    if (stored) {
      await table.updateIfVersion(environmentPk(environment), CURRENT_SK, stored.version ?? 0, { ...current });
    } else {
      await table.putIfAbsent({ pk: environmentPk(environment), sk: CURRENT_SK, version: 1, ...current });
    }
  }

  async function current(environment: string): Promise<CurrentRelease | undefined> {
    const item = await table.getItem(environmentPk(environment), CURRENT_SK);
    return item ? currentReleaseOf(item) : undefined;
  }

  /** The environment's rollout lock and current release from one strongly consistent Query of its partition. */
  async function environmentState(environment: string): Promise<EnvironmentState> {
    const items = await table.queryPartition(environmentPk(environment));
    const lock = items.find((item) => item.sk === ENVIRONMENT_LOCK_SK);
    const currentItem = items.find((item) => item.sk === CURRENT_SK);
    return { lock: lock && environmentLockOf(lock), current: currentItem && currentReleaseOf(currentItem) };
  }

  /** Remembers which release an ECS service deployment belongs to, for its state-change events. */
  async function indexDeployment(deploymentId: string, releaseId: string): Promise<void> {
    await table.putIfAbsent({ pk: `DEPLOYMENT#${deploymentId}`, sk: 'DEPLOYMENT', releaseId });
  }

  const findDeployment = rememberingFound(async (deploymentId: string): Promise<string | undefined> => {
    const item = await table.getItem(`DEPLOYMENT#${deploymentId}`, 'DEPLOYMENT');
    return item ? String(item.releaseId) : undefined;
  });

  /** Takes the right to perform one rollout write (roll a service, run a task) for `leaseSeconds`. */
  function claimAction(
    releaseId: string,
    action: string,
    owner: string,
    leaseSeconds: number,
    now: Date,
  ): Promise<boolean> {
    return table.acquireLease(releasePk(releaseId), `CLAIM#${action}`, owner, leaseSeconds, now);
  }

  /** Gives an action claim back after a failed write, so the next tick or event retries it at once. */
  function releaseActionClaim(releaseId: string, action: string, owner: string): Promise<boolean> {
    return table.releaseLease(releasePk(releaseId), `CLAIM#${action}`, owner);
  }

  return {
    get,
    create,
    update,
    claimBuild,
    releaseBuildClaim,
    indexBuild,
    findBuild,
    listForEnvironment,
    lockEnvironment,
    environmentLock,
    unlockEnvironment,
    setCurrent,
    current,
    environmentState,
    indexDeployment,
    findDeployment,
    claimAction,
    releaseActionClaim,
  };
}

export interface CurrentRelease {
  releaseId: string;
  /** When the environment started running it. */
  since: string;
  /** When its routine deployment task last succeeded, for periodic re-runs. */
  deploymentTaskRunAt: string;
}

export type ReleaseStore = ReturnType<typeof createReleaseStore>;
