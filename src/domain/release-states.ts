/**
 * A release's states and the rules read from them, with the format of its id: the facts the CLI, the
 * console and the Lambdas share. Nothing here needs Node (the console's browser bundle imports it).
 */
export const RELEASE_STATES = [
  'BUILDING',
  'BUILT',
  // A deploy asked for and every other gate passed: waiting for a principal on the approve list (domain/approval.ts).
  'AWAITING_APPROVAL',
  'DEPLOYING',
  // Every step done; the environment's alarms are watched for gates.bakeMinutes before it counts as COMPLETED (domain/alarm-watch.ts).
  'BAKING',
  'COMPLETED',
  'FAILED',
  'ROLLED_BACK',
] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

/** States a release never leaves by itself: a watcher may stop there. */
export const SETTLED_RELEASE_STATES: readonly ReleaseState[] = ['COMPLETED', 'FAILED', 'ROLLED_BACK'];

/** States in which a release still moves by itself (the others are settled, or BUILT and waiting). */
export const MOVING_RELEASE_STATES: readonly ReleaseState[] = ['BUILDING', 'DEPLOYING', 'BAKING'];

export const isMoving = (state: ReleaseState): boolean => MOVING_RELEASE_STATES.includes(state);

/** States of a release whose rollout holds the environment's lock: its steps, then its bake. */
export const ROLLING_OUT_STATES: readonly ReleaseState[] = ['DEPLOYING', 'BAKING'];

export const isRollingOut = (state: ReleaseState): boolean => ROLLING_OUT_STATES.includes(state);

/**
 * Whether a release's rollout holds the environment: its steps, its bake, or its native deployment
 * paused at the approval gate (AWAITING_APPROVAL with the pause recorded, domain/approval.ts).
 */
export function holdsRollout(release: { state: ReleaseState; approval?: { pause?: unknown } | undefined }): boolean {
  return (
    isRollingOut(release.state) || (release.state === 'AWAITING_APPROVAL' && release.approval?.pause !== undefined)
  );
}

/**
 * A release a deploy may roll out: built, or rolled out before (a release whose rollout failed may be
 * tried again; one whose build failed, never; one still building, not yet).
 */
export function isDeployable(release: { state: ReleaseState; rollout?: unknown }): boolean {
  return release.state !== 'BUILDING' && !(release.state === 'FAILED' && !release.rollout);
}

/** `rel-` and 20 hex digits of a hash of what makes the release (domain/release.ts, releaseIdFor). */
export const RELEASE_ID = /^rel-[0-9a-f]{20}$/;

export function releaseIdFromHash(hexHash: string): string {
  return `rel-${hexHash.slice(0, 20)}`;
}
