import { approvesBeforeRollout } from '../domain/gates.js';
import { shouldAutoDeploy } from '../domain/auto-deploy.js';
import type { Release } from '../domain/release.js';
import { requestApproval } from './approve-release.js';
import { checkReleaseGates } from './check-release-gates.js';
import { GateRefusedError } from './errors.js';
import { rollOut, type RolloutPorts } from './roll-out.js';
import { NotDeployableError, RolloutConflictError } from './start-rollout.js';
import type { NamedEnvironment } from '../domain/environment.js';

export type AutoDeployOutcome =
  | { kind: 'started'; release: Release }
  | { kind: 'deferred'; releaseId: string; reason: string }
  | { kind: 'not-due' };

/**
 * A built release whose version matches the auto-deploy pattern rolls out now. While another rollout
 * holds the environment (or the release is not deployable yet) it is deferred: reconcile retries.
 */
export async function autoDeployRelease(
  ports: RolloutPorts,
  target: NamedEnvironment,
  release: Release,
  requestId: string,
): Promise<AutoDeployOutcome> {
  if (!shouldAutoDeploy(target.env, release)) return { kind: 'not-due' };
  try {
    const gates = await checkReleaseGates(ports, target, release);
    if (approvesBeforeRollout(target.env.gates)) {
      // The deploy is asked and waits at its approval gate (AWAITING_APPROVAL): never auto-deployed again.
      const passes = gates;
      return {
        kind: 'started',
        release: await requestApproval(ports, target, release, { requestedBy: 'auto-deploy', passes }),
      };
    }
    const started = await rollOut(ports, target, {
      gates,
      releaseId: release.id,
      kind: 'deploy',
      triggeredBy: 'auto-deploy',
      requestId,
      firstRolloutOnly: true,
    });
    return { kind: 'started', release: started };
  } catch (error) {
    // A gate's refusal may lift (a scan under way completes, staging completes the version): reconcile retries.
    if (
      !(
        error instanceof RolloutConflictError ||
        error instanceof NotDeployableError ||
        error instanceof GateRefusedError
      )
    ) {
      throw error;
    }
    return { kind: 'deferred', releaseId: release.id, reason: error.message };
  }
}
