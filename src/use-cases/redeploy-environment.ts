import type { Release } from '../domain/release.js';
import { NothingToRedeployError } from './errors.js';
import { rollOut, type RolloutPorts } from './roll-out.js';
import type { NamedEnvironment } from '../domain/environment.js';

/**
 * Runs the routine deployment task of the release the environment runs, now rather than when it is
 * due (a re-run, as the schedule starts one). Refused while a rollout holds the environment; its
 * outcome moves the schedule as a scheduled re-run's does (end-rollout.ts).
 */
export async function redeployEnvironment(
  ports: RolloutPorts,
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
  return rollOut(ports, target, { releaseId: current.releaseId, kind: 'rerun', ...request });
}
