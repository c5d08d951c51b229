import { approvesBeforeRollout } from '../domain/gates.js';
import type { Release } from '../domain/release.js';
import { ConfirmationRequiredError, UnknownDeploymentTaskError } from './errors.js';
import { requestApproval } from './approve-release.js';
import { checkReleaseGates } from './check-release-gates.js';
import { findDeployableRelease } from './find-deployable-release.js';
import { rollOut, type RolloutPorts } from './roll-out.js';
import { refuseWhileRollingOut } from './start-rollout.js';
import { ownEntry, type NamedEnvironment } from '../domain/environment.js';

export interface DeployVersionRequest {
  version: string;
  /** A deployment task other than the routine one. */
  task?: string | undefined;
  /** The environment's name, for a destructive task. */
  confirm?: string | undefined;
  triggeredBy: string;
  requestId: string;
  /** Pass the environment's refusing gates anyway (the caller must be on its `gates.override` list). */
  override?: { reason: string } | undefined;
}

/** A named task must exist, and a destructive one must be confirmed with the environment's name. */
function checkTask({ name, env }: NamedEnvironment, task: string | undefined, confirm: string | undefined): void {
  if (task === undefined) return;
  const definition = ownEntry(env.deploymentTasks, task);
  if (!definition) throw new UnknownDeploymentTaskError(task);
  if (definition.destructive && confirm !== name) throw new ConfirmationRequiredError(task, name);
}

/** A deploy request: the version's deployable release rolled out, with the task asked for. */
export async function deployVersion(
  ports: RolloutPorts,
  target: NamedEnvironment,
  request: DeployVersionRequest,
): Promise<Release> {
  checkTask(target, request.task, request.confirm);
  await refuseWhileRollingOut(ports, target.name);
  const release = await findDeployableRelease(ports.releases, target.name, request.version);
  const override = request.override && { principal: request.triggeredBy, reason: request.override.reason };
  const gates = await checkReleaseGates(ports, target, release, override);
  if (approvesBeforeRollout(target.env.gates)) {
    return requestApproval(ports, target, release, {
      requestedBy: request.triggeredBy,
      task: request.task,
      passes: gates,
    });
  }
  return rollOut(ports, target, {
    gates,
    releaseId: release.id,
    kind: 'deploy',
    task: request.task,
    triggeredBy: request.triggeredBy,
    requestId: request.requestId,
  });
}
