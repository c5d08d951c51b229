import { releaseThatRanBefore } from '../../../domain/rollback-target.js';
import type { ReleaseView, RunningRelease } from '../api-types.js';

/** What a rollback will replace and roll out again, as far as the page knows before asking. */
export interface RollbackPair {
  /** The version the environment runs (the API rolls back from it). */
  fromVersion?: string;
  /** The release that ran before it, by the API's own rule, among the releases the page shows. */
  to?: ReleaseView;
}

/**
 * From what the environment runs (the status's `running`, as the API's rollback starts from the
 * current release) to the release that ran before it: completion time orders what ran, so neither
 * the list's creation order nor version order may stand in for it.
 */
export function rollbackPair(running: RunningRelease | null | undefined, releases: ReleaseView[]): RollbackPair {
  if (!running) return {};
  const from = releases.find((release) => release.id === running.releaseId);
  return { fromVersion: running.version, to: from ? releaseThatRanBefore(from, releases) : undefined };
}
