import type { Release } from './release.js';
import type { Environment } from './environment.js';

/** Whether a built release rolls out by itself: its version matches the environment's auto-deploy pattern. */
export function shouldAutoDeploy(env: Environment, release: Release): boolean {
  const pattern = env.rollout.autoDeployPattern;
  return (
    release.state === 'BUILT' &&
    release.rollout === undefined &&
    pattern !== undefined &&
    new RegExp(pattern).test(release.version)
  );
}

/** Inside CGAP's 90 days: access keys must be rotated at least that often, and a re-run may need retries. */
export const DEFAULT_RERUN_DAYS = 80;
const DAY_MS = 86_400_000;
/** The wait after a failed routine re-run: 1 h, doubling with each failure in a row, at most a day. */
const FIRST_RETRY_MS = 3_600_000;
const LAST_RETRY_MS = DAY_MS;

/** Failed routine re-runs in a row, and when the next try is due. Cleared by a re-run that succeeds. */
export interface RerunRetry {
  failures: number;
  nextTryAt: string;
  lastFailure: { at: string; reason: string; releaseId: string };
}

/** The routine re-run's schedule as the current-release record keeps it. */
export interface RerunSchedule {
  /**
   * When the routine deployment task last succeeded (or, for an adopted environment, last ran); null
   * when no run is known (adopted while ECS showed none): the task is then due within the hour, never
   * "ran at adoption".
   */
  deploymentTaskRunAt: string | null;
  /** When the environment started running its release: an unknown last run is due a grace period after. */
  since?: string;
  rerunRetry?: RerunRetry | undefined;
}

/** Days between routine re-runs; undefined when the environment has no routine deployment task. */
export function rerunEveryDays(env: Environment): number | undefined {
  if (env.rollout.deploymentTask === undefined) return undefined;
  return env.rollout.rerunDeploymentEveryDays ?? DEFAULT_RERUN_DAYS;
}

/** How long to wait after the `failures`-th failure in a row: 1 h, 2 h, 4 h, … capped at 24 h. */
export function rerunBackoffMs(failures: number): number {
  const doublings = Math.max(0, Math.min(failures - 1, 10));
  return Math.min(FIRST_RETRY_MS * 2 ** doublings, LAST_RETRY_MS);
}

/**
 * How long after an adoption with no run of the routine task known its re-run waits. Adopting records
 * and changes nothing in ECS, and the operator's first deploy (which runs the task) usually follows
 * within minutes: the re-run does not race it, yet the rotation slips an hour at most, not an interval.
 */
export const UNKNOWN_RUN_GRACE_MS = 3_600_000;

/**
 * When the routine deployment task is next due: the retry time after a failure, else N days after its
 * last run; with no run known, one grace period after the environment began running its release.
 */
export function nextRerunAt(env: Environment, schedule: RerunSchedule): string | undefined {
  const days = rerunEveryDays(env);
  if (days === undefined) return undefined;
  if (schedule.rerunRetry) return schedule.rerunRetry.nextTryAt;
  if (schedule.deploymentTaskRunAt === null)
    return new Date(Date.parse(schedule.since ?? new Date(0).toISOString()) + UNKNOWN_RUN_GRACE_MS).toISOString();
  return new Date(Date.parse(schedule.deploymentTaskRunAt) + days * DAY_MS).toISOString();
}

/** Whether the routine deployment task is due again now. */
export function deploymentRerunDue(env: Environment, schedule: RerunSchedule | undefined, now: Date): boolean {
  const next = schedule && nextRerunAt(env, schedule);
  return next !== undefined && now.getTime() >= Date.parse(next);
}

/** The schedule after a re-run failed (or failed to start): one more failure, the next try one backoff step away. */
export function afterRerunFailure<T extends RerunSchedule>(
  schedule: T,
  failure: { reason: string; releaseId: string },
  now: Date,
): T {
  const failures = (schedule.rerunRetry?.failures ?? 0) + 1;
  const at = now.toISOString();
  return {
    ...schedule,
    rerunRetry: {
      failures,
      nextTryAt: new Date(now.getTime() + rerunBackoffMs(failures)).toISOString(),
      lastFailure: { at, ...failure },
    },
  };
}
