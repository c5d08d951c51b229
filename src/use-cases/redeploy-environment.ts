import type { Release } from '../domain/release.js';
import { NothingToRedeployError } from './errors.js';
import type { CurrentReleases } from './ports.js';
import type { RolloutRequest } from './start-rollout.js';
import type { NamedEnvironment } from '../domain/environment.js';

export interface RedeployPorts {
  current: Pick<CurrentReleases, 'current'>;
  /** Starts a rollout and takes it as far as ECS allows now (roll-out.ts). */
  rollOut: (target: NamedEnvironment, request: RolloutRequest) => Promise<Release>;
}

/**
 * Runs the routine deployment task of the release the environment runs, now rather than when it is
 * due (a re-run, as the schedule starts one). Refused while a rollout holds the environment; its
 * outcome moves the schedule as a scheduled re-run's does (end-rollout.ts).
 */
export async function redeployEnvironment(
  ports: RedeployPorts,
  target: NamedEnvironment,
  request: { triggeredBy: string; requestId: string },
): Promise<Release> {
  const task = target.env.rollout.deploymentTask;
  if (task === undefined) {
    throw new NothingToRedeployError(
      `environment ${target.name} has no routine deployment task (rollout.deploymentTask)`,
    );
  }
  const current = await ports.current.current(target.name);
  if (!current) {
    throw new NothingToRedeployError(
      `environment ${target.name} runs no recorded release: adopt it (POST /environments/${target.name}/adopt) or deploy one`,
    );
  }
  return ports.rollOut(target, { releaseId: current.releaseId, kind: 'rerun', ...request });
}
