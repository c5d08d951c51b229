import type { Release } from './release.js';
import { entrypointOf } from './rollout.js';
import type { RolloutStep } from './rollout-state.js';
import type { Environment } from './environment.js';

/**
 * A rollout's plan as a person reads it: its steps in order, what each runs at which image, and
 * whether it waits for the step before (every step after the first does: the next starts only once
 * the previous completed; the services of one step update together).
 */
export interface PlannedTarget {
  /** The service key, or the deployment task's name. */
  name: string;
  entrypoint: string;
  imageTag?: string;
  digest?: string;
}

export interface PlannedStep {
  kind: RolloutStep['kind'];
  waitsForPrevious: boolean;
  targets: PlannedTarget[];
}

function targetsOf(release: Release, env: Environment, step: RolloutStep): PlannedTarget[] {
  const names = step.kind === 'task' ? [step.task] : step.services;
  return names.map((name) => {
    const entrypoint = entrypointOf(env, step, name);
    const build = release.builds[entrypoint];
    return {
      name,
      entrypoint,
      ...(build?.imageTag ? { imageTag: build.imageTag } : {}),
      ...(build?.digest ? { digest: build.digest } : {}),
    };
  });
}

/** The plan of the release's latest rollout; empty when it has none. */
export function rolloutPlan(release: Release, env: Environment): PlannedStep[] {
  return plannedSteps(release, env, release.rollout?.steps ?? []);
}

/** `steps` as a person reads them, with the release's images. */
export function plannedSteps(release: Release, env: Environment, steps: RolloutStep[]): PlannedStep[] {
  return steps.map((step, index) => ({
    kind: step.kind,
    waitsForPrevious: index > 0,
    targets: targetsOf(release, env, step),
  }));
}
