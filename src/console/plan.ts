import type { ConductorConfig } from '../config/schema.js';
import { planRollout } from '../domain/rollout.js';
import type { EnvironmentPlan } from './web/session.js';

/** Each environment's deploy plan, from the config's rollout order (the domain's own planner). */
export function plansOfConfig(config: ConductorConfig): Record<string, EnvironmentPlan> {
  return Object.fromEntries(
    Object.entries(config.environments).map(([name, env]) => [
      name,
      {
        steps: planRollout(env, { kind: 'deploy' }),
        tasks: Object.entries(env.deploymentTasks).map(([task, definition]) => ({
          name: task,
          destructive: definition.destructive,
          steps: planRollout(env, { kind: 'deploy', task }),
        })),
      },
    ]),
  );
}
