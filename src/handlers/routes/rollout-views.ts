import type { Release } from '../../domain/release.js';
import { deploymentGate, type DeploymentGate } from '../../domain/deployment-gate.js';
import { rolloutPlan, type PlannedStep } from '../../domain/rollout-plan.js';
import type { RollbackStarted } from '../../use-cases/roll-back.js';
import type { Environment } from '../../domain/environment.js';

/** The rollout routes' replies: the release they started, with what a person needs to follow it. */

/** A rollout's release and the plan it follows. */
export async function rolloutView(
  starting: Promise<Release>,
  env: Environment,
): Promise<Release & { plan: PlannedStep[]; deploymentGate: DeploymentGate }> {
  const release = await starting;
  return { ...release, plan: rolloutPlan(release, env), deploymentGate: deploymentGate(env) };
}

/** A rollback's release, saying from which release to which. */
export async function rollbackView(starting: Promise<RollbackStarted>, env: Environment) {
  const { release, from } = await starting;
  return {
    ...release,
    deploymentGate: deploymentGate(env),
    rolledBackFrom: { releaseId: from.id, version: from.version },
    summary: `rolling back from ${from.version} (${from.id}) to ${release.version} (${release.id})`,
  };
}
