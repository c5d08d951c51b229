import type { RolloutStep } from '../../../domain/rollout-state.js';
import type { ConsoleSession } from '../session.js';
import type { ReleaseView } from '../api-types.js';

/**
 * The plan a deploy will follow, before it starts: from the conductor config the console was given
 * (the config's rollout order, computed by the domain's planner), else as the environment's last
 * deploy ran. Undefined when neither is known: the API's reply then shows the steps.
 */
export interface KnownPlan {
  steps: RolloutStep[];
  source: string;
}

export function deployPlan(
  session: ConsoleSession,
  environment: string,
  task: string | undefined,
  releases: ReleaseView[],
): KnownPlan | undefined {
  const configured = session.plans[environment];
  if (configured) {
    const steps = task === undefined ? configured.steps : configured.tasks.find((t) => t.name === task)?.steps;
    if (steps) return { steps, source: `from ${session.plansFrom ?? 'the config'}` };
  }
  if (task !== undefined) return undefined;
  const last = releases.find((release) => release.rollout?.kind === 'deploy');
  return last?.rollout ? { steps: last.rollout.steps, source: `as the last deploy ran (${last.version})` } : undefined;
}
