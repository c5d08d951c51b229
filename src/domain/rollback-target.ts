import type { Release } from './release.js';

/**
 * Of `releases`, what the environment ran before `from`: the COMPLETED release whose last rollout
 * ended latest before `from`'s did (or latest of all when `from` never completed, e.g. a failed
 * deploy). Rollouts end in any version order, and a rollback rolls its target out again, so completion
 * time — not creation time — orders what ran; a rolled-back release is no longer COMPLETED, so rolling
 * back twice steps back twice. The API rolls back to it; the console shows it before asking.
 */
export function releaseThatRanBefore(from: Release, releases: readonly Release[]): Release | undefined {
  let best: Release | undefined;
  for (const release of releases) {
    const ranBefore =
      release.state === 'COMPLETED' &&
      release.id !== from.id &&
      release.completedAt !== undefined &&
      (from.completedAt === undefined || release.completedAt < from.completedAt);
    if (ranBefore && (!best || (release.completedAt ?? '') > (best.completedAt ?? ''))) best = release;
  }
  return best;
}
