import type { Release, ReleaseState } from '../../domain/release.js';

/**
 * States in which a release still moves by itself (the rest are settled, or BUILT and waiting). The
 * domain's own list (SETTLED_RELEASE_STATES) sits in a module that needs node:crypto, which a browser
 * bundle cannot load; the type keeps these names in step with it.
 */
const MOVING: readonly ReleaseState[] = ['BUILDING', 'DEPLOYING'];

export const isMoving = (state: ReleaseState) => MOVING.includes(state);

/** Releases a deploy may roll out: built, or rolled out before; not a failed build (the API refuses those too). */
export const isDeployable = (release: Pick<Release, 'state' | 'rollout'>) =>
  !MOVING.includes(release.state) && !(release.state === 'FAILED' && !release.rollout);
