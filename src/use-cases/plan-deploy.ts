import { deployChanges, gatesThatApply, type ComponentChange } from '../domain/deploy-diff.js';
import type { TaskDefinitionSummary } from '../domain/ecs-state.js';
import { ownEntry, type NamedEnvironment } from '../domain/environment.js';
import { ecsServiceName } from '../domain/names.js';
import { planRollout } from '../domain/rollout.js';
import { plannedSteps, type PlannedStep } from '../domain/rollout-plan.js';
import { UnknownDeploymentTaskError } from './errors.js';
import { findDeployableRelease } from './find-deployable-release.js';
import type { ImageRegistry, ReleaseRepository, ServiceControl, TaskControl } from './ports.js';

/** What planning a deploy reads; it has no port that writes. */
export interface PlanDeployPorts {
  releases: Pick<ReleaseRepository, 'listForEnvironment'>;
  services: Pick<ServiceControl, 'describeServices'>;
  tasks: Pick<TaskControl, 'describeTaskDefinition'>;
  images: Pick<ImageRegistry, 'repositoryUri'>;
}

/** A deploy of `version` as it would go: its release, steps, gates and each component's change. */
export interface DeployPlan {
  environment: string;
  version: string;
  releaseId: string;
  steps: PlannedStep[];
  gates: string[];
  changes: ComponentChange[];
}

async function describedOnce(
  ports: PlanDeployPorts,
  arns: Map<string, string>,
): Promise<Map<string, TaskDefinitionSummary | undefined>> {
  const unique = [...new Set(arns.values())];
  const described = await Promise.all(unique.map((arn) => ports.tasks.describeTaskDefinition(arn)));
  const byArn = new Map(unique.map((arn, index) => [arn, described[index]]));
  return new Map([...arns].map(([name, arn]) => [name, byArn.get(arn)]));
}

/**
 * `diff` and `deploy --dry-run`: what deploying `version` would change, read from ECS and the
 * release history with no write to AWS or the state table.
 */
export async function planDeploy(
  ports: PlanDeployPorts,
  { name, env }: NamedEnvironment,
  request: { version: string; task?: string | undefined },
): Promise<DeployPlan> {
  if (request.task !== undefined && !ownEntry(env.deploymentTasks, request.task))
    throw new UnknownDeploymentTaskError(request.task);
  const release = await findDeployableRelease(ports.releases, name, request.version);
  const steps = planRollout(env, { kind: 'deploy', task: request.task });
  const serviceKeys = steps.flatMap((step) => (step.kind === 'services' ? step.services : []));
  const taskNames = steps.flatMap((step) => (step.kind === 'task' ? [step.task] : []));
  const byName = new Map(serviceKeys.map((key) => [ecsServiceName(env, key), key]));
  const [described, repositoryUri] = await Promise.all([
    serviceKeys.length ? ports.services.describeServices(env.cluster, [...byName.keys()]) : undefined,
    ports.images.repositoryUri(env.repository),
  ]);
  const serviceArns = new Map(
    (described?.services ?? [])
      .filter((state) => state.taskDefinitionArn !== '')
      .map((state) => [byName.get(state.name) ?? state.name, state.taskDefinitionArn]),
  );
  const taskArns = new Map(taskNames.map((task) => [task, env.deploymentTasks[task]?.taskDefinition ?? task]));
  const [services, tasks] = await Promise.all([describedOnce(ports, serviceArns), describedOnce(ports, taskArns)]);
  const running = { services: Object.fromEntries(services), tasks: Object.fromEntries(tasks) };
  return {
    environment: name,
    version: release.version,
    releaseId: release.id,
    steps: plannedSteps(release, env, steps),
    gates: gatesThatApply(env),
    changes: deployChanges(env, release, steps, repositoryUri, running),
  };
}
