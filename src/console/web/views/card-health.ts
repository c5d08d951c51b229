import type { EnvironmentStatus } from '../api-types.js';

/** What an environment's card says of it, from the truth of what runs (not its newest release). */
export interface CardHealth {
  /** Red when what runs is Degraded; a later good deploy clears an earlier failure. */
  bad: boolean;
  /** `Degraded: it runs 1.6.0, whose rollout failed`, in words. */
  line: string;
  /** The release that runs, when its rollout failed: the card shows why; a failure no longer running stays in history. */
  failedRunningId: string | undefined;
  nextStep: string | null;
}

export function cardHealth(status: EnvironmentStatus): CardHealth {
  const runningId = status.running?.releaseId;
  const failedRunning = [status.latestRelease, status.currentRelease].find(
    (release) => release?.id === runningId && release?.state === 'FAILED',
  );
  return {
    bad: status.health === 'Degraded',
    line: `${status.health}: ${status.healthReason}`,
    failedRunningId: failedRunning?.id,
    nextStep: status.nextStep,
  };
}
