import type { Release } from './release.js';
import { holdsRollout } from './release-states.js';
import { withoutApproval } from './approval.js';
import { failRelease, withTimeline } from './rollout.js';

/**
 * Abort: an operator stops the release that moves now. What ECS is doing for it is stopped — each
 * service deployment in progress by StopServiceDeployment (ROLLBACK: ECS returns the service to the
 * revision it ran before), the deployment task by StopTask — and the release ends FAILED, kind
 * `aborted`, saying who, when and why. Pure; the abort-release use case does the stopping.
 */

/** What moves in ECS for a release: the services being deployed (native ones with their deployment ARN) and the task. */
export interface MovingWork {
  services: { key: string; serviceDeploymentArn?: string | undefined }[];
  task?: { key: string; taskArn: string } | undefined;
}

/** What of the release's current step is still moving in ECS (nothing during a bake: its steps are done). */
export function movingWork(release: Release): MovingWork {
  const rollout = release.rollout;
  const step = rollout?.steps[rollout.stepIndex];
  if (!rollout || !step || release.state === 'BAKING' || !holdsRollout(release)) return { services: [] };
  if (step.kind === 'task') {
    const progress = rollout.tasks[step.task];
    return {
      services: [],
      task:
        progress?.state === 'RUNNING' && progress.taskArn ? { key: step.task, taskArn: progress.taskArn } : undefined,
    };
  }
  return {
    services: step.services.flatMap((key) => {
      const progress = rollout.services[key];
      return progress?.state === 'UPDATING' ? [{ key, serviceDeploymentArn: progress.serviceDeploymentArn }] : [];
    }),
  };
}

export interface AbortRequest {
  by: string;
  reason?: string | undefined;
  /** What ECS rolls the services back to, in words (the release that ran before), when known. */
  rollsBackTo?: string | undefined;
}

/**
 * The release, aborted: FAILED with kind `aborted` at its step (or its bake, which ends there), a
 * wait at a pause dropped. A release whose rollout no longer holds the environment is left as it is.
 */
export function abortRollout(release: Release, request: AbortRequest, now: Date): Release {
  if (!holdsRollout(release)) return release;
  const at = now.toISOString();
  const why = request.reason ? `: ${request.reason}` : '';
  const reason = `aborted by ${request.by} at ${at}${why}`;
  const rest = withoutApproval(release);
  const back = request.rollsBackTo ? `ECS rolls back to ${request.rollsBackTo}` : 'nothing to roll back in ECS';
  const noted = withTimeline(rest, [{ at, step: 'rollout aborted', detail: `${reason}; ${back}` }]);
  return failRelease(noted, 'aborted', reason, now, {
    ...(release.state === 'BAKING' ? { step: 'bake' } : {}),
    aborted: {
      by: request.by,
      at,
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.rollsBackTo ? { rollsBackTo: request.rollsBackTo } : {}),
    },
  });
}

/** An abort already done: the release the environment last ended is this abort's, and nothing moved since. */
export function lastAbort(releases: readonly Release[]): Release | undefined {
  const latest = [...releases].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  return latest?.state === 'FAILED' && latest.failure?.kind === 'aborted' ? latest : undefined;
}
