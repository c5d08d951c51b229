import { decideRollout, type Observation, type RolloutAction } from '../domain/decide-rollout.js';
import { imageOfContainer, type ServiceDeployment, type ServiceState } from '../domain/ecs-state.js';
import { ecsServiceName, startedByFor } from '../domain/names.js';
import { approvesAtPause, serviceAlarmNames } from '../domain/gates.js';
import type { Release } from '../domain/release.js';
import { holdsRollout } from '../domain/release-states.js';
import { entrypointOf, serviceRolling, taskFailedToStart, taskStarted, withTimeline } from '../domain/rollout.js';
import { CLAIM_LEASE_SECONDS, type NativeDeploymentRequest, type ReleasePorts } from './ports.js';
import type { ContainerOverrides, NamedEnvironment, Environment } from '../domain/environment.js';
import { nativeDeploymentsToStop, type ObservedServiceDeployment } from '../domain/native-deployment.js';
import type { NativeStrategy } from '../domain/native-strategy.js';
import type { Rollout } from '../domain/rollout-state.js';

/** What moving a rollout forward needs from ECS and the rest of the world. */
export type ProgressPorts = Pick<
  ReleasePorts,
  'releases' | 'claims' | 'index' | 'services' | 'tasks' | 'images' | 'alarms' | 'now' | 'owner'
>;

/** Where a call left the release: `endedNow` when this call's write ended the rollout. */
export interface Progress {
  release: Release | undefined;
  endedNow: boolean;
  /** This call's write made the release wait for approval at its native deployment's pause. */
  pausedNow?: boolean;
}

/** Passes per call: a write can make the next step due at once (ECS answering COMPLETED immediately). */
const MAX_PASSES = 6;

/** What ECS and CloudWatch say now: the current step's services or task, and the watched alarms. */
async function observe(
  ports: ProgressPorts,
  env: Environment,
  release: Release,
  given: Observation,
): Promise<Observation> {
  const watch = release.rollout?.watch;
  const alarms = watch ? { alarms: await ports.alarms.describeAlarms(watch.alarms) } : {};
  // A bake reads only its alarms: the steps' work is done.
  return release.state === 'BAKING' ? alarms : { ...(await observeStep(ports, env, release, given)), ...alarms };
}

async function observeStep(
  ports: ProgressPorts,
  env: Environment,
  release: Release,
  given: Observation,
): Promise<Observation> {
  const rollout = release.rollout;
  const step = rollout?.steps[rollout.stepIndex];
  if (!rollout || !step) return given;
  if (step.kind === 'services') {
    const names = Object.fromEntries(step.services.map((key) => [ecsServiceName(env, key), key]));
    const { services } = await ports.services.describeServices(env.cluster, Object.keys(names));
    const native = await nativeDeployments(ports, rollout.services, step.services);
    return {
      ...given,
      services: Object.fromEntries(
        services.map((service) => {
          const key = names[service.name] ?? service.name;
          const arn = rollout.services[key]?.serviceDeploymentArn;
          const serviceDeployment = arn === undefined ? undefined : native.get(arn);
          return [
            key,
            {
              taskDefinitionArn: service.taskDefinitionArn,
              deployments: service.deployments,
              ...(serviceDeployment ? { serviceDeployment } : {}),
            },
          ];
        }),
      ),
    };
  }
  const taskArn = rollout.tasks[step.task]?.taskArn;
  // An event about another task (an earlier attempt's) says nothing about this one.
  if (given.task && given.taskArn !== taskArn) return { ...given, task: undefined };
  if (given.task || !taskArn) return given;
  const [task] = await ports.tasks.describeTasks(env.cluster, [taskArn]);
  return task ? { ...given, task } : given;
}

/** The native deployments of the step's services still moving, by ARN (DescribeServiceDeployments). */
async function nativeDeployments(
  ports: ProgressPorts,
  progress: Rollout['services'],
  keys: string[],
): Promise<Map<string, ObservedServiceDeployment>> {
  const arns = keys.flatMap((key) => {
    const service = progress[key];
    return service?.state === 'UPDATING' && service.serviceDeploymentArn ? [service.serviceDeploymentArn] : [];
  });
  if (arns.length === 0) return new Map();
  const observed = await ports.services.describeServiceDeployments(arns);
  return new Map(observed.map((deployment) => [deployment.arn, deployment]));
}

function imageFor(release: Release, entrypoint: string, repositoryUri: string): string {
  const digest = release.builds[entrypoint]?.digest;
  if (!digest) throw new Error(`release ${release.id} has no image for ${entrypoint}`);
  return `${repositoryUri}@${digest}`;
}

function primaryDeployment(service: ServiceState): ServiceDeployment | undefined {
  return service.deployments.find((candidate) => candidate.status === 'PRIMARY');
}

/**
 * The deployment an earlier try of this step already made: the service's primary deployment began
 * after the step did (the environment's lock keeps other rollouts away) and runs the release's image
 * in the service's container. Found by the image, not the revision: RegisterTaskDefinition makes a
 * new revision on every call, so a retry's own revision never matches the one that try deployed. A
 * retry after UpdateService went through but its record did not (or only the record's answer was
 * lost) then records that deployment instead of rolling the service a second time.
 */
async function earlierTry(
  ports: ProgressPorts,
  service: ServiceState,
  release: Release,
  container: { name: string; image: string },
): Promise<ServiceDeployment | undefined> {
  const stepStartedAt = Date.parse(release.rollout?.stepStartedAt ?? '');
  const primary = primaryDeployment(service);
  if (primary?.createdAt === undefined || primary.createdAt.getTime() < stepStartedAt) return undefined;
  const definition = await ports.tasks.describeTaskDefinition(primary.taskDefinitionArn);
  return imageOfContainer(definition, container.name) === container.image ? primary : undefined;
}

/** UpdateService to `revision`; the deployment it made (ECS lists it as PRIMARY, else first). */
async function deployRevision(
  ports: ProgressPorts,
  cluster: string,
  service: string,
  revision: string,
  alarmNames: string[],
): Promise<ServiceDeployment | undefined> {
  const updated = await ports.services.updateServiceTaskDefinition(cluster, service, revision, alarmNames);
  return primaryDeployment(updated) ?? updated.deployments[0];
}

async function rollService(ports: ProgressPorts, env: Environment, release: Release, key: string): Promise<void> {
  const config = env.services[key];
  if (!config) throw new Error(`unknown service ${key}`);
  const name = ecsServiceName(env, key);
  const [current] = (await ports.services.describeServices(env.cluster, [name])).services;
  if (!current) throw new Error(`service ${name} not found in cluster ${env.cluster}`);
  const image = imageFor(
    release,
    entrypointOf(env, { kind: 'services', services: [key] }, key),
    await ports.images.repositoryUri(env.repository),
  );
  const earlier = await earlierTry(ports, current, release, { name: config.container, image });
  const revision =
    earlier?.taskDefinitionArn ??
    (await ports.tasks.registerTaskDefinitionWithImages(
      current.taskDefinitionArn,
      { [config.container]: image },
      containerSettingsOf(config),
    ));
  const alarmNames = serviceAlarmNames(env.gates, key);
  if (config.strategy) {
    const approval = env.gates?.approval;
    const approvalPause =
      approval && approvesAtPause(env.gates) ? { timeoutMinutes: approval.expiresAfterMinutes } : undefined;
    await rollNatively(
      ports,
      release,
      { cluster: env.cluster, key, name, revision, current, earlier, alarmNames, approvalPause },
      config.strategy,
    );
    return;
  }
  const deployment = earlier ?? (await deployRevision(ports, env.cluster, name, revision, alarmNames));
  const deploymentId = deployment?.id ?? 'unknown';
  await ports.index.indexDeployment(deploymentId, release.id);
  await ports.releases.update(release.id, (latest) => serviceRolling(latest, key, revision, deploymentId, ports.now()));
}

/**
 * A service with an ECS-native strategy: UpdateService with the strategy, and the service
 * deployment it made recorded, so that the step ends on that deployment's own status. A retry
 * after an unrecorded UpdateService finds the deployment it made, as a rolling one does.
 */
async function rollNatively(
  ports: ProgressPorts,
  release: Release,
  roll: {
    cluster: string;
    key: string;
    name: string;
    revision: string;
    current: ServiceState;
    earlier: ServiceDeployment | undefined;
    alarmNames: string[];
    approvalPause: NativeDeploymentRequest['approvalPause'];
  },
  strategy: NativeStrategy,
): Promise<void> {
  const { earlier } = roll;
  const started =
    earlier && roll.current.currentServiceDeployment
      ? { serviceDeploymentArn: roll.current.currentServiceDeployment, deploymentId: earlier.id }
      : await ports.services.startNativeDeployment({
          cluster: roll.cluster,
          service: roll.name,
          taskDefinitionArn: roll.revision,
          strategy,
          alarmNames: roll.alarmNames,
          ...(roll.approvalPause ? { approvalPause: roll.approvalPause } : {}),
        });
  const deploymentId = started.deploymentId ?? started.serviceDeploymentArn;
  await ports.index.indexDeployment(started.serviceDeploymentArn, release.id);
  if (started.deploymentId) await ports.index.indexDeployment(started.deploymentId, release.id);
  const native = { serviceDeploymentArn: started.serviceDeploymentArn, strategy: strategy.type };
  await ports.releases.update(release.id, (latest) =>
    serviceRolling(latest, roll.key, roll.revision, deploymentId, ports.now(), native),
  );
}

/**
 * The revision to run a deployment task from. RunTask's client token makes a retry idempotent only
 * with the same parameters (ECS answers ConflictException to a changed one) and RegisterTaskDefinition
 * makes a new revision on every call, so a retry reuses the family's latest revision when it already
 * runs the release's image (an earlier try registered it) instead of registering another.
 */
async function taskRevision(
  ports: ProgressPorts,
  task: Environment['deploymentTasks'][string],
  image: string,
): Promise<string> {
  const source = await ports.tasks.describeTaskDefinition(task.taskDefinition);
  const latest =
    source.family === task.taskDefinition ? source : await ports.tasks.describeTaskDefinition(source.family);
  if (imageOfContainer(latest, task.container) === image) return latest.arn;
  return ports.tasks.registerTaskDefinitionWithImages(
    source.arn,
    { [task.container]: image },
    containerSettingsOf(task),
  );
}

/** Runs the step's task; true when ECS refused to start it, which ended the rollout in this write. */
async function runDeploymentTask(
  ports: ProgressPorts,
  env: Environment,
  release: Release,
  key: string,
): Promise<boolean> {
  const task = env.deploymentTasks[key];
  if (!task) throw new Error(`unknown deployment task ${key}`);
  const image = imageFor(release, task.entrypoint, await ports.images.repositoryUri(env.repository));
  const revision = await taskRevision(ports, task, image);
  const attempt = release.rollout?.attempt ?? 1;
  const start = await ports.tasks.runTask({
    cluster: env.cluster,
    taskDefinition: revision,
    // Never Spot unless configured: an interrupted migration is worse than a slower one.
    ...(task.capacityProviderStrategy
      ? { capacityProviderStrategy: task.capacityProviderStrategy }
      : { launchType: task.launchType ?? 'FARGATE' }),
    subnets: task.network.subnets,
    securityGroups: task.network.securityGroups,
    assignPublicIp: task.network.assignPublicIp,
    startedBy: startedByFor(release.id),
    clientToken: `${release.id}-${String(attempt)}-${key}`.slice(0, 64),
  });
  const outcome = { ended: false };
  await ports.releases.update(release.id, (latest) => {
    if (start.started) return taskStarted(latest, key, revision, start.taskArn, ports.now());
    const failed = taskFailedToStart(latest, key, start.reasons, ports.now());
    outcome.ended = latest.state === 'DEPLOYING' && failed.state !== 'DEPLOYING';
    return failed;
  });
  return outcome.ended;
}

/** Performs one write of the rollout; true when that write ended it (a task ECS would not start). */
async function perform(
  ports: ProgressPorts,
  env: Environment,
  release: Release,
  action: RolloutAction,
): Promise<boolean> {
  const name = action.kind === 'rollService' ? action.service : action.task;
  const claim = `${String(release.rollout?.attempt ?? 1)}#${action.kind}#${name}`;
  if (!(await ports.claims.claim(release.id, claim, ports.owner, CLAIM_LEASE_SECONDS, ports.now()))) return false;
  try {
    if (action.kind === 'runTask') return await runDeploymentTask(ports, env, release, action.task);
    await rollService(ports, env, release, action.service);
    return false;
  } catch (error) {
    // Both writes are safe to try again (RunTask by its client token, UpdateService by finding its
    // own deployment), so the next tick or event need not wait out the lease of a failed try.
    await ports.claims.giveBack(release.id, claim, ports.owner).catch(() => undefined);
    throw error;
  }
}

/**
 * Moves a DEPLOYING release forward: read ECS → decide (pure) → perform the writes it asks for →
 * record. Events and reconcile both call it; `given` carries what an event told (a task's exit code,
 * a failed deployment). Returns the release as stored (undefined if it does not exist), and whether
 * this call's write ended the rollout: only that call tidies up after it (roll-out.ts).
 */
export async function progressRelease(
  ports: ProgressPorts,
  { name, env }: NamedEnvironment,
  releaseId: string,
  given: Observation = {},
): Promise<Progress> {
  let release: Release | undefined;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    release = (await ports.releases.get(releaseId))?.release;
    if (release?.environment !== name || !holdsRollout(release)) return { release, endedNow: false };
    const observation = await observe(ports, env, release, pass === 0 ? given : {});
    // Set by the transition that got written (the last one tried): its decision's writes are the ones
    // to perform, and only the call whose write ended the rollout tidies up.
    const outcome: { ended: boolean; paused: boolean; actions: RolloutAction[] } = {
      ended: false,
      paused: false,
      actions: [],
    };
    const now = ports.now();
    const decided = await ports.releases.update(releaseId, (latest) => {
      const decision = decideRollout(latest, env, observation, now);
      outcome.ended = holdsRollout(latest) && !holdsRollout(decision.release);
      outcome.paused = latest.state !== 'AWAITING_APPROVAL' && decision.release.state === 'AWAITING_APPROVAL';
      outcome.actions = decision.actions;
      return decision.release;
    });
    if (!decided || outcome.ended) {
      if (decided && outcome.ended) await stopNativeDeployments(ports, decided);
      return { release: decided, endedNow: outcome.ended };
    }
    if (outcome.paused) return { release: decided, endedNow: false, pausedNow: true };
    const { actions } = outcome;
    if (actions.length === 0 && JSON.stringify(decided) === JSON.stringify(release))
      return { release: decided, endedNow: false };
    for (const action of actions) {
      if (await perform(ports, env, decided, action))
        return { release: (await ports.releases.get(releaseId))?.release, endedNow: true };
    }
    release = decided;
  }
  return { release, endedNow: false };
}

/** Rolls back what a failed release leaves moving natively: ECS returns each service to what ran before. */
async function stopNativeDeployments(ports: ProgressPorts, release: Release): Promise<void> {
  const arns = nativeDeploymentsToStop(release);
  if (arns.length === 0) return;
  // The release has ended either way: a stop ECS refused is recorded, not retried (ECS's own timeouts remain).
  const results = await Promise.allSettled(arns.map((arn) => ports.services.stopServiceDeployment(arn)));
  const at = ports.now().toISOString();
  const entries = results.map((result, index) =>
    result.status === 'fulfilled'
      ? { at, step: 'native deployment stopped', detail: `ECS rolls back ${arns[index] ?? ''}` }
      : { at, step: 'native deployment not stopped', detail: `${arns[index] ?? ''}: ${String(result.reason)}` },
  );
  await ports.releases.update(release.id, (latest) => withTimeline(latest, entries));
}

/** The settings config gives the container of a service or deployment task, for each revision it gets. */
function containerSettingsOf(item: ContainerOverrides & { container: string }): Record<string, ContainerOverrides> {
  if (item.environment === undefined && item.stopTimeout === undefined) return {};
  return { [item.container]: { environment: item.environment, stopTimeout: item.stopTimeout } };
}
