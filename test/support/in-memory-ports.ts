import type { ContainerOverrides } from '../../src/domain/environment.js';
import { RECIPE_BUILD_COMMAND, type BuildProjectSource } from '../../src/domain/build-recipe.js';
import type { Heartbeat, Tick } from '../../src/domain/autoscale-chain.js';
import type { RunTaskRequest, ServiceDeployment, ServiceState, TaskState } from '../../src/domain/ecs-state.js';
import type { ScanReport } from '../../src/domain/gates.js';
import type { AlarmReading } from '../../src/domain/alarm-watch.js';
import type { ObservedServiceDeployment } from '../../src/domain/native-deployment.js';
import type { Release } from '../../src/domain/release.js';
import type { QueueBacklog } from '../../src/domain/scaling.js';
import type {
  AutoscaleChainPorts,
  AutoscalePorts,
  BuildDetails,
  CurrentRelease,
  EnvironmentLock,
  NativeDeploymentRequest,
  ReleaseNotice,
  ReleasePorts,
  StartBuildRequest,
  StoredScaling,
} from '../../src/use-cases/ports.js';

/**
 * The core's ports in memory, with the semantics of the adapters they stand for: optimistic
 * versions on releases, leases that lapse and admit their own owner again, index rows written once,
 * CodeBuild's idempotency tokens, ECS deployments that are PRIMARY when made. `failOnce` names calls
 * that throw once, as a throttled or dropped AWS call does.
 */
export const REPOSITORY_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app';
const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';

interface Lease {
  owner: string;
  expiresAt: number;
}

function leaseTable(clock: () => Date) {
  const leases = new Map<string, Lease>();
  const seconds = () => Math.floor(clock().getTime() / 1000);
  return {
    leases,
    acquire(key: string, owner: string, leaseSeconds: number, now: Date) {
      const held = leases.get(key);
      if (held && held.owner !== owner && held.expiresAt >= Math.floor(now.getTime() / 1000)) return false;
      leases.set(key, { owner, expiresAt: Math.floor(now.getTime() / 1000) + leaseSeconds });
      return true;
    },
    release(key: string, owner: string) {
      const held = leases.get(key);
      if (held && held.owner !== owner) return false;
      leases.delete(key);
      return true;
    },
    live: (key: string) => {
      const held = leases.get(key);
      return held && held.expiresAt >= seconds() ? held : undefined;
    },
  };
}

export function inMemoryWorld(options: { now?: Date; failOnce?: string[]; loseAnswerOnce?: string[] } = {}) {
  let now = options.now ?? new Date('2026-11-25T16:00:00Z');
  const clock = () => now;
  const once = (names: string[], what: string) => (call: string) => {
    const index = names.indexOf(call);
    if (index < 0) return;
    names.splice(index, 1);
    throw new Error(`${call} ${what} (injected)`);
  };
  const failOnce = once([...(options.failOnce ?? [])], 'failed');
  /**
   * `failOnce` and `loseAnswerOnce` name a release write by the timeline step it records (`record <step>`):
   * the first fails before the write, the second after it took effect (a timeout after DynamoDB applied it).
   */
  const loseAnswerOnce = once([...(options.loseAnswerOnce ?? [])], 'answer lost');

  const releases = new Map<string, { release: Release; version: number }>();
  const current = new Map<string, CurrentRelease>();
  const buildIndex = new Map<string, { releaseId: string; entrypoint: string }>();
  const deploymentIndex = new Map<string, string>();
  const scaling = new Map<string, StoredScaling>();
  const locks = leaseTable(clock);
  const claims = leaseTable(clock);

  const services = new Map<string, ServiceState>();
  const tasks = new Map<string, TaskState>();
  const builds = new Map<string, BuildDetails>();
  const buildTokens = new Map<string, string>();
  const images = new Map<string, string>();
  /** ECR scan reports by image digest; an image without one has never been scanned. */
  const scans = new Map<string, ScanReport>();
  /** CloudWatch alarms by name; a name without one does not exist. */
  const alarms = new Map<string, AlarmReading>();
  /** Task definitions by family, as registered outside the conductor (what an adopted environment runs). */
  const taskDefinitions = new Map<
    string,
    { arn: string; revision: number; containers: { name: string; image: string }[] }
  >();
  /** Task definitions the conductor registered, by ARN, with the images it gave them: what ECS then runs. */
  const registered = new Map<
    string,
    { arn: string; family: string; revision: number; containers: { name: string; image: string }[] }
  >();
  const backlogs = new Map<string, QueueBacklog>();
  /** ECS-native service deployments by ARN, as DescribeServiceDeployments reports them. */
  const serviceDeployments = new Map<string, ObservedServiceDeployment>();
  const calls = {
    startNativeDeployment: [] as NativeDeploymentRequest[],
    stopServiceDeployment: [] as string[],
    continueServiceDeployment: [] as { arn: string; hookId: string; action: string }[],
    stopTask: [] as { taskArn: string; reason: string }[],
    startBuild: [] as StartBuildRequest[],
    updateService: [] as { service: string; taskDefinitionArn: string; alarmNames?: string[] }[],
    runTask: [] as RunTaskRequest[],
    setDesiredCount: [] as { service: string; count: number }[],
    registerTaskDefinition: [] as {
      source: string;
      images: Record<string, string>;
      settings?: Record<string, ContainerOverrides>;
    }[],
    notices: [] as { releaseId: string; event: ReleaseNotice; details?: Record<string, string> }[],
    stuck: [] as string[],
  };
  let serial = 0;
  /** What ECS does when asked: `refuseTasks` makes RunTask place no task, with those reasons. */
  const behaviour: { refuseTasks?: string[]; buildProject?: BuildProjectSource } = {};

  function lockOf(environment: string): EnvironmentLock | undefined {
    const held = locks.leases.get(environment);
    return held && { owner: held.owner, releaseId: held.owner.split('@')[0] ?? '', leaseExpiresAt: held.expiresAt };
  }

  function service(name: string): ServiceState {
    const known = services.get(name);
    if (known) return known;
    const taskDefinitionArn = `${ACCOUNT}:task-definition/${name}:1`;
    const seeded: ServiceState = {
      ...{ name, arn: `${ACCOUNT}:service/${name}`, status: 'ACTIVE', taskDefinitionArn },
      ...{ desiredCount: 1, runningCount: 1, pendingCount: 0 },
      deployments: [
        {
          ...{ id: `ecs-svc/seed-${name}`, status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinitionArn },
          ...{ desiredCount: 1, runningCount: 1, pendingCount: 0, createdAt: new Date('2026-01-01T00:00:00Z') },
        },
      ],
    };
    services.set(name, seeded);
    return seeded;
  }

  const ports = (owner: string): ReleasePorts => ({
    owner,
    now: clock,
    releases: {
      get: (id) => Promise.resolve(releases.get(id) && structuredClone(releases.get(id))),
      create: (release) => {
        if (releases.has(release.id)) return Promise.resolve(false);
        releases.set(release.id, { release: structuredClone(release), version: 1 });
        return Promise.resolve(true);
      },
      update: (id, transition) => {
        const stored = releases.get(id);
        if (!stored) return Promise.resolve(undefined);
        const next = transition(structuredClone(stored.release));
        const recorded = next.timeline.slice(stored.release.timeline.length).map((entry) => `record ${entry.step}`);
        for (const call of recorded) failOnce(call);
        releases.set(id, { release: next, version: stored.version + 1 });
        for (const call of recorded) loseAnswerOnce(call);
        return Promise.resolve(structuredClone(next));
      },
      listForEnvironment: (environment, page) => {
        const all = [...releases.values()]
          .map((stored) => stored.release)
          .filter((release) => release.environment === environment)
          .sort((a, b) => `${b.createdAt}#${b.id}`.localeCompare(`${a.createdAt}#${a.id}`));
        const start = Number(page.cursor ?? 0);
        const slice = all.slice(start, start + page.limit).map((release) => structuredClone(release));
        const next = start + page.limit < all.length ? String(start + page.limit) : undefined;
        return Promise.resolve(next ? { releases: slice, cursor: next } : { releases: slice });
      },
    },
    locks: {
      lock: (environment, lockOwner, leaseSeconds, at) =>
        Promise.resolve(locks.acquire(environment, lockOwner, leaseSeconds, at)),
      holder: (environment) => Promise.resolve(lockOf(environment)),
      unlock: (environment, lockOwner) => Promise.resolve(locks.release(environment, lockOwner)),
    },
    current: {
      current: (environment) => Promise.resolve(current.get(environment)),
      setCurrent: (environment, value) => {
        current.set(environment, value);
        return Promise.resolve();
      },
      environmentState: (environment) =>
        Promise.resolve({ lock: lockOf(environment), current: current.get(environment) }),
    },
    index: {
      indexBuild: (buildId, reference) => {
        if (!buildIndex.has(buildId)) buildIndex.set(buildId, reference);
        return Promise.resolve();
      },
      findBuild: (buildId) => Promise.resolve(buildIndex.get(buildId)),
      indexDeployment: (deploymentId, releaseId) => {
        failOnce('indexDeployment');
        if (!deploymentIndex.has(deploymentId)) deploymentIndex.set(deploymentId, releaseId);
        return Promise.resolve();
      },
      findDeployment: (deploymentId) => Promise.resolve(deploymentIndex.get(deploymentId)),
    },
    claims: {
      claim: (releaseId, action, claimer, leaseSeconds, at) =>
        Promise.resolve(claims.acquire(`${releaseId}#${action}`, claimer, leaseSeconds, at)),
      giveBack: (releaseId, action, claimer) => Promise.resolve(claims.release(`${releaseId}#${action}`, claimer)),
    },
    services: {
      describeServices: (_cluster, names) => Promise.resolve({ services: names.map(service), missing: [] }),
      updateServiceTaskDefinition: (_cluster, name, taskDefinitionArn, alarmNames = []) => {
        calls.updateService.push({ service: name, taskDefinitionArn, ...(alarmNames.length ? { alarmNames } : {}) });
        serial += 1;
        const deployment: ServiceDeployment = {
          ...{ id: `ecs-svc/${String(serial)}`, status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinitionArn },
          ...{ desiredCount: 1, runningCount: 0, pendingCount: 1, createdAt: clock() },
        };
        // A rolling deployment is a service deployment too: StopServiceDeployment takes its ARN.
        const currentServiceDeployment = `${ACCOUNT}:service-deployment/${name}/${String(serial)}`;
        const updated = { ...service(name), taskDefinitionArn, deployments: [deployment], currentServiceDeployment };
        services.set(name, updated);
        failOnce(`updateService ${name}`);
        return Promise.resolve(updated);
      },
      startNativeDeployment: (request) => {
        calls.startNativeDeployment.push(request);
        serial += 1;
        const deployment: ServiceDeployment = {
          ...{ id: `ecs-svc/${String(serial)}`, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
          ...{ taskDefinitionArn: request.taskDefinitionArn, desiredCount: 1, runningCount: 0, pendingCount: 1 },
          createdAt: clock(),
        };
        const arn = `${ACCOUNT}:service-deployment/${request.service}/${String(serial)}`;
        serviceDeployments.set(arn, { arn, status: 'PENDING' });
        const updated: ServiceState = {
          ...service(request.service),
          taskDefinitionArn: request.taskDefinitionArn,
          deployments: [deployment],
          currentServiceDeployment: arn,
        };
        services.set(request.service, updated);
        failOnce(`startNativeDeployment ${request.service}`);
        return Promise.resolve({ serviceDeploymentArn: arn, deploymentId: deployment.id, service: updated });
      },
      describeServiceDeployments: (arns) =>
        Promise.resolve(arns.flatMap((arn) => [serviceDeployments.get(arn)].filter((known) => known !== undefined))),
      stopServiceDeployment: (arn) => {
        calls.stopServiceDeployment.push(arn);
        const known = serviceDeployments.get(arn);
        if (known) serviceDeployments.set(arn, { ...known, status: 'ROLLBACK_REQUESTED', statusReason: 'stopped' });
        return Promise.resolve();
      },
      continueServiceDeployment: (arn, hookId, action) => {
        calls.continueServiceDeployment.push({ arn, hookId, action });
        const known = serviceDeployments.get(arn);
        const hook = known?.pauses?.find((pause) => pause.hookId === hookId && pause.status === 'AWAITING_ACTION');
        if (!known || !hook) return Promise.reject(new Error(`no hook ${hookId} awaits action in ${arn}`));
        const pauses = known.pauses?.map((pause) => (pause === hook ? { ...pause, status: 'SUCCEEDED' } : pause));
        const rolledBack = action === 'ROLLBACK' ? { status: 'ROLLBACK_REQUESTED', rollbackReason: 'rolled back' } : {};
        serviceDeployments.set(arn, { ...known, pauses, ...rolledBack });
        return Promise.resolve();
      },
      setDesiredCount: (_cluster, name, count) => {
        calls.setDesiredCount.push({ service: name, count });
        services.set(name, { ...service(name), desiredCount: count });
        return Promise.resolve();
      },
    },
    tasks: {
      describeTaskDefinition: (reference) => {
        const family = reference.split('/').pop()?.split(':')[0] ?? reference;
        const ours = registered.get(reference);
        if (ours) return Promise.resolve(structuredClone(ours));
        // A family without a revision is its latest revision, as in ECS.
        const latestOurs = [...registered.values()]
          .filter((known) => known.family === family && reference === family)
          .sort((a, b) => b.revision - a.revision)[0];
        if (latestOurs) return Promise.resolve(structuredClone(latestOurs));
        const known = taskDefinitions.get(family);
        if (known) return Promise.resolve({ family, ...known });
        const arn = `${ACCOUNT}:task-definition/${family}:1`;
        return Promise.resolve({ arn, family, revision: 1, containers: [] });
      },
      registerTaskDefinitionWithImages: (source, images, settings) => {
        calls.registerTaskDefinition.push({ source, images, ...(settings ? { settings } : {}) });
        const family = source.split('/').pop()?.split(':')[0] ?? '';
        // As ECS: every registration is a new revision, one past the family's latest.
        const latest = Math.max(
          Number(source.split(':').pop()) || 1,
          taskDefinitions.get(family)?.revision ?? 1,
          ...[...registered.values()].filter((known) => known.family === family).map((known) => known.revision),
        );
        const revision = latest + 1;
        const arn = `${ACCOUNT}:task-definition/${family}:${String(revision)}`;
        const sourceContainers = registered.get(source)?.containers ?? taskDefinitions.get(family)?.containers ?? [];
        const names = new Set([...sourceContainers.map((container) => container.name), ...Object.keys(images)]);
        const containers = [...names].map((name) => ({
          name,
          image: images[name] ?? sourceContainers.find((container) => container.name === name)?.image ?? '',
        }));
        registered.set(arn, { arn, family, revision, containers });
        return Promise.resolve(arn);
      },
      runTask: (request) => {
        calls.runTask.push(request);
        failOnce('runTask');
        if (behaviour.refuseTasks) return Promise.resolve({ started: false, reasons: behaviour.refuseTasks });
        const taskArn = `${ACCOUNT}:task/${request.cluster}/${request.clientToken}`;
        if (!tasks.has(taskArn)) {
          const task = { taskArn, lastStatus: 'RUNNING', desiredStatus: 'RUNNING' };
          tasks.set(taskArn, { ...task, taskDefinitionArn: request.taskDefinition, containers: [] });
        }
        return Promise.resolve({ started: true, taskArn });
      },
      describeTasks: (_cluster, arns) => Promise.resolve(arns.flatMap((arn) => tasks.get(arn) ?? [])),
      stopTask: (_cluster, taskArn, reason) => {
        calls.stopTask.push({ taskArn, reason });
        const task = tasks.get(taskArn);
        if (task && task.lastStatus !== 'STOPPED')
          tasks.set(taskArn, { ...task, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedReason: reason });
        return Promise.resolve();
      },
      tasksOfFamily: (_cluster, family) =>
        Promise.resolve(
          [...tasks.values()].filter((task) => task.taskDefinitionArn.split('/').pop()?.split(':')[0] === family),
        ),
    },
    images: {
      imageDigest: (repository, tag) => Promise.resolve(images.get(`${repository}:${tag}`)),
      repositoryUri: () => Promise.resolve(REPOSITORY_URI),
      scanReport: (_repository, digest) => Promise.resolve(scans.get(digest) ?? { status: undefined, counts: {} }),
    },
    alarms: {
      describeAlarms: (names) => {
        failOnce('describeAlarms');
        const known = [...new Set(names)].flatMap((name) => alarms.get(name) ?? []);
        return Promise.resolve(known.map((alarm) => ({ ...alarm })));
      },
    },
    builds: {
      // A project that runs the recipe unless a test gives another.
      describeProject: (project) =>
        Promise.resolve(
          behaviour.buildProject ?? {
            name: project,
            sourceType: 'NO_SOURCE',
            buildspec: `- ${RECIPE_BUILD_COMMAND} ...`,
          },
        ),
      startBuild: (request) => {
        failOnce('startBuild');
        const known = buildTokens.get(request.idempotencyToken);
        if (known) return Promise.resolve(known);
        calls.startBuild.push(request);
        serial += 1;
        const buildId = `${request.project}:build-${String(serial)}`;
        buildTokens.set(request.idempotencyToken, buildId);
        builds.set(buildId, { status: 'IN_PROGRESS' });
        return Promise.resolve(buildId);
      },
      describeBuilds: (ids) =>
        Promise.resolve(new Map(ids.flatMap((id) => (builds.has(id) ? [[id, builds.get(id) as BuildDetails]] : [])))),
    },
    notifier: {
      notify: (release, event, details) => {
        calls.notices.push({ releaseId: release.id, event, ...(details ? { details } : {}) });
        return Promise.resolve();
      },
    },
    metrics: { stepTimedOut: (release) => void calls.stuck.push(release.id) },
  });

  const autoscalePorts = (): AutoscalePorts => {
    const { releases: releaseRepository, services: serviceControl } = ports('autoscale');
    return {
      now: clock,
      releases: releaseRepository,
      services: serviceControl,
      queues: {
        queueBacklog: (queue) => Promise.resolve(backlogs.get(queue) ?? { visible: 0, inFlight: 0, delayed: 0 }),
      },
      scaling: {
        get: (environment, queue) => Promise.resolve(scaling.get(`${environment}#${queue}`)),
        readEnvironment: (environment) => {
          const records = new Map(
            [...scaling].flatMap(([key, stored]) =>
              key.startsWith(`${environment}#`) ? [[key.slice(environment.length + 1), stored] as const] : [],
            ),
          );
          return Promise.resolve({ records, lock: lockOf(environment) });
        },
        save: (environment, queue, record, expectedVersion) => {
          const key = `${environment}#${queue}`;
          if ((scaling.get(key)?.version ?? 0) !== expectedVersion) return Promise.resolve(false);
          scaling.set(key, { record, version: expectedVersion + 1 });
          return Promise.resolve(true);
        },
      },
    };
  };

  /** The tick chain: the stored heartbeat and every tick sent, with the conditions of the real writes. */
  const chain = { heartbeat: undefined as Heartbeat | undefined, sent: [] as { tick: Tick; delaySeconds: number }[] };
  let chains = 0;
  const autoscaleChainPorts = (): AutoscaleChainPorts => ({
    now: clock,
    newChainId: () => `chain-${String((chains += 1))}`,
    heartbeat: {
      read: () => Promise.resolve(chain.heartbeat && { ...chain.heartbeat }),
      start: (heartbeat, staleBefore) => {
        if (chain.heartbeat && chain.heartbeat.at >= staleBefore) return Promise.resolve(false);
        chain.heartbeat = { ...heartbeat };
        return Promise.resolve(true);
      },
      advance: (heartbeat) => {
        const stored = chain.heartbeat;
        if (stored?.chainId !== heartbeat.chainId || stored.seq !== heartbeat.seq - 1) return Promise.resolve(false);
        chain.heartbeat = { ...heartbeat };
        return Promise.resolve(true);
      },
    },
    ticks: {
      send: (tick, delaySeconds) => {
        failOnce('sendTick');
        chain.sent.push({ tick, delaySeconds });
        return Promise.resolve();
      },
    },
  });

  return {
    ports,
    autoscalePorts,
    autoscaleChainPorts,
    chain,
    calls,
    behaviour,
    state: { releases, current, buildIndex, deploymentIndex, scaling, locks, claims },
    aws: { services, tasks, builds, images, scans, alarms, backlogs, service, taskDefinitions, serviceDeployments },
    /** An alarm enters `state` now, as SetAlarmState (or its metric) makes it. */
    setAlarm: (name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason?: string) => {
      alarms.set(name, { name, state, changedAt: now.toISOString(), ...(reason ? { reason } : {}) });
    },
    release: (id: string) => releases.get(id)?.release,
    put: (release: Release) => releases.set(release.id, { release: structuredClone(release), version: 1 }),
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    /** ECS finishes every service deployment it was asked for. */
    completeServiceDeployments: () => {
      for (const [name, state] of services) {
        const deployments = state.deployments.map((deployment) => ({
          ...deployment,
          rolloutState: 'COMPLETED',
          runningCount: 1,
          pendingCount: 0,
        }));
        services.set(name, { ...state, deployments });
      }
    },
    /** A started task stops with `exitCode` in its container `container`. */
    stopTask: (taskArn: string, container: string, exitCode: number) => {
      const task = tasks.get(taskArn);
      if (!task) throw new Error(`no task ${taskArn}`);
      tasks.set(taskArn, {
        ...task,
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stopCode: 'EssentialContainerExited',
        containers: [{ name: container, lastStatus: 'STOPPED', exitCode }],
      });
    },
  };
}

export type InMemoryWorld = ReturnType<typeof inMemoryWorld>;
