/**
 * Whether the rollout's deployment gate can see a failed deployment. The gate passes a release when
 * the deployment task's container exits 0. docker/'s entrypoints exit with a failing step's status;
 * a single-image environment runs the application's own entrypoints, and CGAP's stock
 * entrypoint_deployment.sh runs every step whatever happened and ends in `exit 0`: there the gate
 * is blind, and says so in the status and in every deploy reply, unless the config says the
 * image's entrypoints do exit non-zero on failure (`image.exitCodesReliable`).
 *
 * Decided against reading the task's log stream for a failed step: the stock script prints what
 * each tool prints, and no line pattern tells a failed step from a logged warning reliably.
 */

/** What the decision reads of an environment's config. */
export interface GateFacts {
  image: { shape: string; exitCodesReliable?: boolean | undefined };
  rollout: { deploymentTask?: string | undefined };
}

export interface DeploymentGate {
  /** True when a deployment task that fails may still exit 0, so the gate passes it. */
  blind: boolean;
  /** Why, for a person; absent when the gate sees failures. */
  reason?: string;
}

export function deploymentGate(env: GateFacts): DeploymentGate {
  const task = env.rollout.deploymentTask;
  if (task === undefined || env.image.shape !== 'single-image' || env.image.exitCodesReliable === true) {
    return { blind: false };
  }
  return {
    blind: true,
    reason:
      `gate blind: the deployment task ${task} runs the image's own entrypoint, which may exit 0 after a failed ` +
      `step (CGAP's does), so a release passes on its exit code alone; read the task's log, or build with ` +
      `docker/ (image.shape per-entrypoint), or set image.exitCodesReliable if the entrypoint fails honestly`,
  };
}
