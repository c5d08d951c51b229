import type { Release } from '../domain/release.js';
import {
  InvalidCursorError,
  type ReleasePage,
  type ReleaseRepository,
  type StoredRelease,
} from '../use-cases/ports.js';
import type { ItemKey, StateTable } from './state-table.js';

/**
 * Releases in the state table at `RELEASE#<id>`/`RELEASE`, listed per environment through gsi1
 * (`ENV#<env>#RELEASES`, sorted by creation time), newest first.
 */
const RELEASE_SK = 'RELEASE';
export const releasePk = (id: string) => `RELEASE#${id}`;
const environmentReleases = (environment: string) => `ENV#${environment}#RELEASES`;
/** Read-modify-write attempts before giving up on a hot release. */
const MAX_ATTEMPTS = 8;

function encodeCursor(key: ItemKey | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** The key a cursor carries; a cursor that carries none is refused as the caller's mistake, not ours. */
function decodeCursor(cursor: string | undefined): ItemKey | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (parsed === null || typeof parsed !== 'object') throw new InvalidCursorError(cursor);
  return parsed as ItemKey;
}

export function createReleaseRepository(table: StateTable): ReleaseRepository {
  async function get(id: string): Promise<StoredRelease | undefined> {
    const item = await table.getItem(releasePk(id), RELEASE_SK);
    return item ? { release: item.release as Release, version: item.version ?? 0 } : undefined;
  }

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

  /** Re-reads and re-applies the transition when another writer got there first. */
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

  async function listForEnvironment(environment: string, options: { limit: number; cursor?: string }) {
    const { cursor: given } = options;
    const page = await table
      .queryByGsi1(environmentReleases(environment), {
        limit: options.limit,
        exclusiveStartKey: decodeCursor(given),
        newestFirst: true,
      })
      .catch((error: unknown) => {
        // DynamoDB refuses a start key not of this index's shape: that was the cursor, anything else is not.
        if (given !== undefined && error instanceof Error && error.name === 'ValidationException')
          throw new InvalidCursorError(given);
        throw error;
      });
    const cursor = encodeCursor(page.lastEvaluatedKey);
    const listed: ReleasePage = { releases: page.items.map((item) => item.release as Release) };
    return cursor ? { ...listed, cursor } : listed;
  }

  return { get, create, update, listForEnvironment };
}
