import type { ContainerOverrides, Environment } from './environment.js';
import type { DescribedContainer, TaskDefinitionSummary } from './ecs-state.js';
import type { Release } from './release.js';
import type { RolloutStep } from './rollout-state.js';
import { entrypointOf } from './rollout.js';
import { bakeMinutesOf } from './alarm-watch.js';
import { plural } from './plural.js';

/**
 * What a deploy would change, worked out before any write (`diff`, `deploy --dry-run`): for each
 * service and deployment task of the plan, the container image it runs now and the one the release
 * gives it, and the settings the config writes into the new revision.
 */
export interface ComponentChange {
  kind: 'service' | 'task';
  /** The service key or the deployment task's name. */
  name: string;
  container: string;
  /** The task definition the new revision would copy; null when ECS shows none (a missing service). */
  taskDefinition: string | null;
  /** The container's image now; null when the task definition (or that container) is not there. */
  imageBefore: string | null;
  /** `repository@digest` from the release; null when it built no image for the entrypoint. */
  imageAfter: string | null;
  /** What the conductor writes into the container besides the image (environment, stopTimeout). */
  settings: ContainerOverrides;
  /** Those settings as the container has them now (only the variables the config sets). */
  settingsBefore: ContainerOverrides;
  /** Whether the image or a setting would change. */
  changes: boolean;
}

/** The gates a deploy passes through before (scan, promotion, approval) and during (alarms) its rollout. */
export function gatesThatApply(env: Environment): string[] {
  const gates = env.gates;
  return [
    ...(gates?.scan ? [`scan: refuses findings at ${gates.scan.failAt} or above`] : []),
    ...(gates?.promoteFrom ? [`promotion: the same digests must have completed in ${gates.promoteFrom}`] : []),
    ...(gates?.approval ? [`approval: waits for one of ${gates.approval.approve.join(', ')}`] : []),
    ...(gates?.alarms?.length
      ? [
          `alarms: ${gates.alarms.join(', ')} watched through the rollout and a bake of ${plural(bakeMinutesOf(gates), 'minute')}; one in ALARM rolls back`,
        ]
      : []),
  ];
}

function settingsOf(item: ContainerOverrides): ContainerOverrides {
  return {
    ...(item.environment === undefined ? {} : { environment: item.environment }),
    ...(item.stopTimeout === undefined ? {} : { stopTimeout: item.stopTimeout }),
  };
}

function change(
  kind: ComponentChange['kind'],
  name: string,
  item: ContainerOverrides & { container: string },
  definition: TaskDefinitionSummary | undefined,
  imageAfter: string | null,
): ComponentChange {
  const container = definition?.containers.find((candidate) => candidate.name === item.container);
  const imageBefore = container?.image ?? null;
  const settings = settingsOf(item);
  const settingsBefore = settingsNow(settings, container);
  return {
    kind,
    name,
    container: item.container,
    taskDefinition: definition?.arn ?? null,
    imageBefore,
    imageAfter,
    settings,
    settingsBefore,
    changes: imageBefore !== imageAfter || JSON.stringify(settings) !== JSON.stringify(settingsBefore),
  };
}

/** The container's values of the settings the config writes; a variable it lacks is left out. */
function settingsNow(settings: ContainerOverrides, container: DescribedContainer | undefined): ContainerOverrides {
  const variables = Object.keys(settings.environment ?? {}).flatMap((name) => {
    const value = container?.environment?.[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  return {
    ...(settings.environment === undefined ? {} : { environment: Object.fromEntries(variables) }),
    ...(container?.stopTimeout === undefined || settings.stopTimeout === undefined
      ? {}
      : { stopTimeout: container.stopTimeout }),
  };
}

/** What the steps' services and tasks run now (task definitions by service key or task name). */
export interface RunningDefinitions {
  services: Record<string, TaskDefinitionSummary | undefined>;
  tasks: Record<string, TaskDefinitionSummary | undefined>;
}

/**
 * The change to each service and task of `steps` if `release` rolled out: its image, as the rollout
 * writes it (`repositoryUri@digest`), against what runs.
 */
export function deployChanges(
  env: Environment,
  release: Release,
  steps: RolloutStep[],
  repositoryUri: string,
  running: RunningDefinitions,
): ComponentChange[] {
  const imageOf = (step: RolloutStep, name: string) => {
    const digest = release.builds[entrypointOf(env, step, name)]?.digest;
    return digest ? `${repositoryUri}@${digest}` : null;
  };
  return steps.flatMap((step) => {
    if (step.kind === 'task') {
      const task = env.deploymentTasks[step.task];
      return task ? [change('task', step.task, task, running.tasks[step.task], imageOf(step, step.task))] : [];
    }
    return step.services.flatMap((key) => {
      const service = env.services[key];
      return service ? [change('service', key, service, running.services[key], imageOf(step, key))] : [];
    });
  });
}
