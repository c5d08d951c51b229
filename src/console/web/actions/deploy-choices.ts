import { isDeployable, isMoving, type ReleaseState } from '../../../domain/release-states.js';
import type { ReleaseView } from '../api-types.js';

/** Where a deployable release stands in the dialog's list: good ones first, then replaced, then failed. */
const RANK: Partial<Record<ReleaseState, number>> = { ROLLED_BACK: 1, FAILED: 2 };

/**
 * The releases the deploy dialog offers: the API's own rule (isDeployable), less one moving now (its
 * rollout holds the environment), newest good first. A release that was rolled back, or whose rollout
 * failed, may be tried again, but is never offered first.
 */
export function deployChoices(releases: readonly ReleaseView[]): ReleaseView[] {
  return releases
    .filter((release) => isDeployable(release) && !isMoving(release.state))
    .map((release, index) => ({ release, index }))
    .sort(
      (a, b) =>
        (RANK[a.release.state] ?? 0) - (RANK[b.release.state] ?? 0) ||
        Date.parse(b.release.createdAt) - Date.parse(a.release.createdAt) ||
        a.index - b.index,
    )
    .map(({ release }) => release);
}
