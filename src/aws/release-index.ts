import type { BuildReference, ReleaseIndex } from '../use-cases/ports.js';
import type { StateTable } from './state-table.js';

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

/** Rows at `BUILD#<buildId>`/`BUILD` and `DEPLOYMENT#<id>`/`DEPLOYMENT` naming their release. */
export function createReleaseIndex(table: StateTable): ReleaseIndex {
  return {
    indexBuild: async (buildId, reference) => {
      await table.putIfAbsent({ pk: `BUILD#${buildId}`, sk: 'BUILD', ...reference });
    },
    findBuild: rememberingFound(async (buildId): Promise<BuildReference | undefined> => {
      const item = await table.getItem(`BUILD#${buildId}`, 'BUILD');
      return item ? { releaseId: String(item.releaseId), entrypoint: String(item.entrypoint) } : undefined;
    }),
    indexDeployment: async (deploymentId, releaseId) => {
      await table.putIfAbsent({ pk: `DEPLOYMENT#${deploymentId}`, sk: 'DEPLOYMENT', releaseId });
    },
    findDeployment: rememberingFound(async (deploymentId) => {
      const item = await table.getItem(`DEPLOYMENT#${deploymentId}`, 'DEPLOYMENT');
      return item ? String(item.releaseId) : undefined;
    }),
  };
}
