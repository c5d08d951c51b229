import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type Deployment,
  type Failure,
  type RegisterTaskDefinitionRequest,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { isDeepStrictEqual } from 'node:util';
import { clientConfig } from './client-config.js';
import { loadHookTargets, type HookTargets } from '../config/runtime.js';
import { nativeDeploymentCalls } from './ecs-native.js';
import type {
  RunTaskRequest,
  ServiceDeployment,
  ServicesDescription,
  ServiceState,
  TaskDefinitionSummary,
  DescribedContainer,
  TaskState,
} from '../domain/ecs-state.js';
import type { ContainerOverrides } from '../domain/environment.js';
import type { TaskStart } from '../use-cases/ports.js';
import { AwsCallError, callAws, isThrottling, UnknownContainerError } from './errors.js';

/** API limits on identifiers per call. */
const SERVICES_PER_DESCRIBE = 10;
const TASKS_PER_DESCRIBE = 100;

// Marked pure so that a bundle whose handler never uses this adapter leaves out the client and its SDK
// package; a handler that uses it still creates the client once, at module scope.
const defaultEcsClient = /* @__PURE__ */ new ECSClient(clientConfig);

/** ECS operations the conductor needs, in domain shapes; every failure is an AwsCallError. */
export function createEcsAdapter(client: ECSClient = defaultEcsClient, hooks: () => HookTargets = loadHookTargets) {
  /** Describes services by name or ARN, 10 per call; unknown ones are listed in `missing`. */
  async function describeServices(cluster: string, serviceNames: string[]): Promise<ServicesDescription> {
    const batches = await Promise.all(
      chunks(serviceNames, SERVICES_PER_DESCRIBE).map((names) =>
        callAws('ecs:DescribeServices', `services ${names.join(', ')} in cluster ${cluster}`, () =>
          client.send(new DescribeServicesCommand({ cluster, services: names })),
        ),
      ),
    );
    return {
      services: batches.flatMap((batch) => (batch.services ?? []).map(toServiceState)),
      missing: batches.flatMap((batch) =>
        (batch.failures ?? []).map((failure) => requestedName(failure, serviceNames)),
      ),
    };
  }

  /** Sets a service's desired task count (idempotent). */
  async function setDesiredCount(cluster: string, service: string, count: number): Promise<void> {
    await callAws('ecs:UpdateService', `service ${service} in cluster ${cluster}`, () =>
      client.send(new UpdateServiceCommand({ cluster, service, desiredCount: count })),
    );
  }

  /** Reads a task definition (family, family:revision or ARN) and its containers' images. */
  async function describeTaskDefinition(arnOrFamily: string): Promise<TaskDefinitionSummary> {
    return toTaskDefinitionSummary((await fetchTaskDefinition(arnOrFamily)).definition);
  }

  /**
   * Registers a new revision copying the source one with the named containers' images replaced, and
   * returns its ARN; returns the source ARN unchanged when it already uses those images.
   * Throws UnknownContainerError when a named container is not in the source.
   */
  async function registerTaskDefinitionWithImages(
    sourceTaskDefinitionArn: string,
    images: Record<string, string>,
    settings: Record<string, ContainerOverrides> = {},
  ): Promise<string> {
    const source = await fetchTaskDefinition(sourceTaskDefinitionArn);
    const containers = source.definition.containerDefinitions ?? [];
    const named = [...Object.keys(images), ...Object.keys(settings)];
    const unknown = named.filter((name) => !containers.some((container) => container.name === name));
    if (unknown.length > 0) throw new UnknownContainerError(sourceTaskDefinitionArn, [...new Set(unknown)]);
    const sourceArn = source.definition.taskDefinitionArn ?? sourceTaskDefinitionArn;
    const updated = containers.map((container) =>
      withSettings({ ...container, image: imageFor(container, images) }, settings[container.name ?? '']),
    );
    if (isDeepStrictEqual(updated, containers)) return sourceArn;
    const request: RegisterTaskDefinitionRequest = {
      ...copyableFields(source.definition),
      containerDefinitions: updated,
      tags: source.tags,
    };
    const registered = await callAws('ecs:RegisterTaskDefinition', `a copy of ${sourceArn}`, () =>
      client.send(new RegisterTaskDefinitionCommand(request)),
    );
    return registered.taskDefinition?.taskDefinitionArn ?? '';
  }

  /**
   * Deploys a task definition to a service with the circuit breaker on (a failing rollout rolls back)
   * and, when named, CloudWatch alarms as its deployment alarms (one in ALARM rolls it back too).
   */
  async function updateServiceTaskDefinition(
    cluster: string,
    service: string,
    taskDefinitionArn: string,
    alarmNames: string[] = [],
  ): Promise<ServiceState> {
    const alarms = alarmNames.length > 0 ? { alarms: { alarmNames, enable: true, rollback: true } } : {};
    const updated = await callAws('ecs:UpdateService', `service ${service} in cluster ${cluster}`, () =>
      client.send(
        new UpdateServiceCommand({
          cluster,
          service,
          taskDefinition: taskDefinitionArn,
          // Forced, so that rolling back to a revision the service already names still starts a deployment.
          forceNewDeployment: true,
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, ...alarms },
        }),
      ),
    );
    return toServiceState(updated.service ?? {});
  }

  /**
   * Starts one task; retrying with the same clientToken does not start another. A task ECS refuses
   * or fails to place is answered with ECS's reasons; a failed call throws AwsCallError.
   */
  async function runTask(request: RunTaskRequest): Promise<TaskStart> {
    const target = `task definition ${request.taskDefinition} in cluster ${request.cluster}`;
    const response = await sendRunTask(
      target,
      new RunTaskCommand({
        cluster: request.cluster,
        taskDefinition: request.taskDefinition,
        launchType: request.launchType,
        capacityProviderStrategy: request.capacityProviderStrategy,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: request.subnets,
            securityGroups: request.securityGroups,
            assignPublicIp: request.assignPublicIp ? 'ENABLED' : 'DISABLED',
          },
        },
        startedBy: request.startedBy,
        clientToken: request.clientToken,
        count: 1,
      }),
    );
    if ('refused' in response) return { started: false, reasons: [response.refused] };
    const taskArn = response.tasks?.[0]?.taskArn;
    if (taskArn !== undefined) return { started: true, taskArn };
    const failures = response.failures ?? [];
    const reasons = failures.length > 0 ? failures.map(failureText) : ['ECS returned neither a task nor a failure'];
    return { started: false, reasons };
  }

  /** Sends RunTask: a request ECS refuses comes back as its reason, anything else throws AwsCallError. */
  async function sendRunTask(target: string, command: RunTaskCommand) {
    try {
      return await client.send(command);
    } catch (err) {
      if (isRefusal(err)) return { refused: err.message };
      throw new AwsCallError('ecs:RunTask', target, { cause: err });
    }
  }

  /** Describes tasks by ARN (100 per call); tasks ECS no longer knows are left out. */
  async function describeTasks(cluster: string, taskArns: string[]): Promise<TaskState[]> {
    const batches = await Promise.all(
      chunks(taskArns, TASKS_PER_DESCRIBE).map((tasks) =>
        callAws('ecs:DescribeTasks', `${tasks.length} tasks in cluster ${cluster}`, () =>
          client.send(new DescribeTasksCommand({ cluster, tasks })),
        ),
      ),
    );
    return batches.flatMap((batch) => (batch.tasks ?? []).map(toTaskState));
  }

  /** StopTask: ECS sends the task SIGTERM, then SIGKILL after its stop timeout; `reason` is its stoppedReason. */
  async function stopTask(cluster: string, taskArn: string, reason: string): Promise<void> {
    await callAws('ecs:StopTask', `task ${taskArn} in cluster ${cluster}`, () =>
      client.send(new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, 255) })),
    );
  }

  /** ARNs of the tasks started with this `startedBy`, with the given desired status (ECS lists RUNNING by default). */
  async function listTasksStartedBy(
    cluster: string,
    startedBy: string,
    desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING',
  ): Promise<string[]> {
    return listTasks(cluster, { startedBy, desiredStatus });
  }

  /** The tasks of a family ECS still shows in the cluster (stopped ones for about an hour), running or stopped. */
  async function tasksOfFamily(cluster: string, family: string): Promise<TaskState[]> {
    const listed = await Promise.all(
      (['RUNNING', 'STOPPED'] as const).map((desiredStatus) => listTasks(cluster, { family, desiredStatus })),
    );
    const arns = [...new Set(listed.flat())];
    return arns.length === 0 ? [] : describeTasks(cluster, arns);
  }

  async function listTasks(
    cluster: string,
    filter: { family?: string; startedBy?: string; desiredStatus: 'RUNNING' | 'STOPPED' },
  ): Promise<string[]> {
    const taskArns: string[] = [];
    let nextToken: string | undefined;
    const what = filter.family ? `tasks of ${filter.family}` : `tasks started by ${filter.startedBy ?? '?'}`;
    do {
      const page = await callAws('ecs:ListTasks', `${what} in cluster ${cluster}`, () =>
        client.send(new ListTasksCommand({ cluster, ...filter, nextToken })),
      );
      taskArns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return taskArns;
  }

  async function fetchTaskDefinition(arnOrFamily: string) {
    const response = await callAws('ecs:DescribeTaskDefinition', `task definition ${arnOrFamily}`, () =>
      client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arnOrFamily, include: ['TAGS'] })),
    );
    return { definition: response.taskDefinition ?? {}, tags: response.tags };
  }

  return {
    ...nativeDeploymentCalls(client, hooks, toServiceState),
    describeServices,
    setDesiredCount,
    describeTaskDefinition,
    registerTaskDefinitionWithImages,
    updateServiceTaskDefinition,
    runTask,
    describeTasks,
    stopTask,
    listTasksStartedBy,
    tasksOfFamily,
  };
}

export type EcsAdapter = ReturnType<typeof createEcsAdapter>;

/** The adapter over the module's shared client (the endpoint comes from AWS_ENDPOINT_URL when set). */
export const ecs = /* @__PURE__ */ createEcsAdapter();

/** The register-time fields of a described task definition (the rest is ECS bookkeeping). */
function copyableFields(definition: TaskDefinition): RegisterTaskDefinitionRequest {
  return {
    family: definition.family,
    containerDefinitions: definition.containerDefinitions,
    taskRoleArn: definition.taskRoleArn,
    executionRoleArn: definition.executionRoleArn,
    networkMode: definition.networkMode,
    volumes: definition.volumes,
    placementConstraints: definition.placementConstraints,
    requiresCompatibilities: definition.requiresCompatibilities,
    cpu: definition.cpu,
    memory: definition.memory,
    pidMode: definition.pidMode,
    ipcMode: definition.ipcMode,
    proxyConfiguration: definition.proxyConfiguration,
    ephemeralStorage: definition.ephemeralStorage,
    runtimePlatform: definition.runtimePlatform,
    enableFaultInjection: definition.enableFaultInjection,
  };
}

function toServiceState(service: Service): ServiceState {
  return {
    name: service.serviceName ?? '',
    arn: service.serviceArn ?? '',
    status: service.status ?? '',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinitionArn: service.taskDefinition ?? '',
    deployments: (service.deployments ?? []).map(toServiceDeployment),
    ...(service.currentServiceDeployment ? { currentServiceDeployment: service.currentServiceDeployment } : {}),
  };
}

function toServiceDeployment(deployment: Deployment): ServiceDeployment {
  return {
    id: deployment.id ?? '',
    status: deployment.status ?? '',
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
    taskDefinitionArn: deployment.taskDefinition ?? '',
    desiredCount: deployment.desiredCount ?? 0,
    runningCount: deployment.runningCount ?? 0,
    pendingCount: deployment.pendingCount ?? 0,
    createdAt: deployment.createdAt,
    updatedAt: deployment.updatedAt,
  };
}

function toTaskDefinitionSummary(definition: TaskDefinition): TaskDefinitionSummary {
  return {
    arn: definition.taskDefinitionArn ?? '',
    family: definition.family ?? '',
    revision: definition.revision ?? 0,
    containers: (definition.containerDefinitions ?? []).map(toDescribedContainer),
  };
}

/** A container's name, image and, when set, the settings the conductor writes (environment, stopTimeout). */
function toDescribedContainer(container: ContainerDefinition): DescribedContainer {
  const variables = (container.environment ?? []).flatMap((variable) =>
    variable.name === undefined ? [] : [[variable.name, variable.value ?? ''] as const],
  );
  return {
    name: container.name ?? '',
    image: container.image ?? '',
    ...(variables.length > 0 ? { environment: Object.fromEntries(variables) } : {}),
    ...(container.stopTimeout === undefined ? {} : { stopTimeout: container.stopTimeout }),
  };
}

function toTaskState(task: Task): TaskState {
  return {
    taskArn: task.taskArn ?? '',
    lastStatus: task.lastStatus ?? '',
    desiredStatus: task.desiredStatus ?? '',
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    startedBy: task.startedBy,
    taskDefinitionArn: task.taskDefinitionArn ?? '',
    containers: (task.containers ?? []).map((container) => ({
      name: container.name ?? '',
      lastStatus: container.lastStatus ?? '',
      exitCode: container.exitCode,
      reason: container.reason,
    })),
    createdAt: task.createdAt,
    startedAt: task.startedAt,
  };
}

/** Maps a DescribeServices failure back to the name the caller asked for (ECS reports ARNs). */
function requestedName(failure: Failure, requested: string[]): string {
  const arn = failure.arn ?? '';
  return requested.find((name) => arn === name || arn.endsWith(`/${name}`)) ?? arn;
}

/** A client-side fault other than throttling: the request itself cannot succeed, so retrying will not help. */
function isRefusal(err: unknown): err is Error {
  return err instanceof Error && '$fault' in err && err.$fault === 'client' && !isThrottling(err);
}

/** The image a container gets: the requested one if named, else its current one. */
/** The container with the settings' variables over its own (same order, new ones last) and their stop timeout. */
function withSettings(container: ContainerDefinition, settings: ContainerOverrides | undefined): ContainerDefinition {
  if (!settings) return container;
  const result = { ...container };
  if (settings.environment) {
    const set = new Map(Object.entries(settings.environment));
    const kept = (container.environment ?? []).map((variable) =>
      variable.name !== undefined && set.has(variable.name)
        ? { name: variable.name, value: set.get(variable.name) }
        : variable,
    );
    const present = new Set(kept.map((variable) => variable.name));
    const added = [...set].filter(([name]) => !present.has(name)).map(([name, value]) => ({ name, value }));
    result.environment = [...kept, ...added];
  }
  if (settings.stopTimeout !== undefined) result.stopTimeout = settings.stopTimeout;
  return result;
}

function imageFor(container: ContainerDefinition, images: Record<string, string>): string | undefined {
  return (container.name === undefined ? undefined : images[container.name]) ?? container.image;
}

function failureText(failure: Failure): string {
  return [failure.reason, failure.detail, failure.arn].filter((part) => part !== undefined && part !== '').join(': ');
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
