import { DescribeTasksCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { PutImageCommand } from '@aws-sdk/client-ecr';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConductorConfig } from '../../src/config/schema.js';
import type { Release } from '../../src/domain/release.js';
import { codeBuildProjectName, nameOf, repositoryName } from '../../src/domain/names.js';
import { LOCAL_ACCOUNT } from '../../src/local/emulator.js';
import { alarmStateChangeEvent, eventEnvelope, taskStoppedEvent } from '../../src/local/events.js';
import { uniqueManifest } from '../../src/local/images.js';
import { emulatorClients } from './emulator-clients.js';
import { alarmChangeWatcher } from './local-alarm-events.js';
import { alarmNamesOf } from './seed-alarms.js';
import { releaseChanges } from './local-output.js';
import { invokeFunction } from '../../src/local/invoke.js';
import { recentReleases } from '../../src/local/releases.js';
import { createSwitchStore } from '../../src/local/switch-store.js';
import { buildFails, taskExitCode, type FailureSwitch } from '../../src/local/switches.js';

/**
 * What AWS does around the conductor that moto does not: CodeBuild builds that push their image and
 * finish, and EventBridge delivering CodeBuild, ECS task and CloudWatch alarm events to the functions.
 * Local mode runs it so a push goes to COMPLETED in seconds, as on AWS; without it only reconcile would
 * move things.
 * It reads the failure switches (`ecs-conductor local fail …`) every tick.
 */
export interface LocalEventPumpOptions {
  emulator: string;
  /** serverless-offline's Lambda endpoint. */
  lambda: string;
  config: ConductorConfig;
  stage: string;
  region: string;
  intervalMs?: number;
  /** Plays CloudWatch's alarm state-change events (default true); off, only reconcile's tick sees an alarm. */
  alarmEvents?: boolean;
  /** What the pump emulated (a build finished, a task stopped): detail, for a verbose output. */
  log?: (line: string) => void;
  /** One line per release whose state changed, as the pump reads them every tick. */
  releaseChanged?: (line: string) => void;
}

export interface LocalEventPump {
  stop: () => Promise<void>;
}

export function startLocalEventPump(options: LocalEventPumpOptions): LocalEventPump {
  const { cloudwatch, documents: dynamodb, ecr, ecs } = emulatorClients(options.emulator);
  const alarmChanges = alarmChangeWatcher(
    cloudwatch,
    options.alarmEvents === false ? [] : alarmNamesOf(options.config),
  );
  const switchStore = createSwitchStore(options.emulator, options.stage, dynamodb);
  const delivered = new Set<string>();
  const log = options.log ?? (() => undefined);
  const releaseChanged = options.releaseChanged;
  const seen = new Map<string, string>();
  const stopping = new AbortController();

  const invoke = (fn: string, event: unknown) =>
    invokeFunction(options.lambda, fn, event, { stage: options.stage, timeoutMs: 120_000 });

  const finishBuilds = async (release: Release, repository: string, project: string, failed: boolean) => {
    for (const build of Object.values(release.builds)) {
      if (!build.buildId || build.status !== 'IN_PROGRESS' || delivered.has(build.buildId)) continue;
      if (!failed)
        await ecr.send(
          new PutImageCommand({
            repositoryName: repository,
            imageTag: build.imageTag,
            imageManifest: uniqueManifest(),
          }),
        );
      const status = failed ? 'FAILED' : 'SUCCEEDED';
      await invoke(
        'onBuildStateChange',
        eventEnvelope('CodeBuild Build State Change', 'aws.codebuild', {
          'build-status': status,
          'project-name': project,
          'build-id': `arn:aws:codebuild:${options.region}:${LOCAL_ACCOUNT}:build/${build.buildId}`,
        }),
      );
      delivered.add(build.buildId);
      log(`emulated build ${build.buildId} ${status}`);
    }
  };

  /**
   * A task reports STOPPED once moto stopped it. moto's exit code is always 0, so a switched task's
   * failure is delivered as soon as the release records it RUNNING, and only once that invocation
   * returned (the release is FAILED by then) is the task stopped in moto: reconcile never reads a
   * stopped task with exit code 0 before the failure is recorded.
   */
  const reportStoppedTasks = async (release: Release, cluster: string, switchedExit: number | undefined) => {
    for (const task of Object.values(release.rollout?.tasks ?? {})) {
      if (!task.taskArn || task.state !== 'RUNNING' || delivered.has(task.taskArn)) continue;
      const [described] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [task.taskArn] }))).tasks ?? [];
      if (!described) continue;
      if (switchedExit !== undefined) {
        await invoke(
          'onTaskStateChange',
          taskStoppedEvent(described, task.taskArn, () => switchedExit),
        );
        delivered.add(task.taskArn);
        await ecs.send(
          new StopTaskCommand({ cluster, task: task.taskArn, reason: `local mode: switched to exit ${switchedExit}` }),
        );
        log(`emulated event: task ${task.taskArn} STOPPED with exit code ${String(switchedExit)} (switched)`);
        continue;
      }
      if (described.lastStatus !== 'STOPPED') continue;
      await invoke(
        'onTaskStateChange',
        taskStoppedEvent(described, task.taskArn, (reported) => reported),
      );
      delivered.add(task.taskArn);
      log(`emulated event: task ${task.taskArn} STOPPED`);
    }
  };

  const playRelease = async (
    release: Release,
    env: ConductorConfig['environments'][string],
    switches: FailureSwitch[],
  ) => {
    // Single-image releases are BUILT when recorded: there is nothing to build. A failed release's
    // other builds still finish, as CodeBuild's do.
    if ((release.state === 'BUILDING' || release.failure?.kind === 'build') && env.codebuild)
      await finishBuilds(
        release,
        repositoryName(env.repository),
        codeBuildProjectName(env.codebuild.project),
        buildFails(switches, release.version),
      );
    if (release.state === 'DEPLOYING')
      await reportStoppedTasks(release, nameOf(env.cluster), taskExitCode(switches, release.version));
  };

  /**
   * A watched alarm's move to ALARM goes to onAlarmStateChange, as the rule serverless.yml declares
   * (it asks for ALARM only) delivers it: the rollback starts within a tick, not at reconcile's minute.
   */
  const deliverAlarmChanges = async () => {
    for (const change of await alarmChanges()) {
      if (change.state !== 'ALARM') continue;
      await invoke('onAlarmStateChange', alarmStateChangeEvent(change));
      log(`emulated event: alarm ${change.name} ALARM since ${change.changedAt}`);
    }
  };

  const tick = async () => {
    await deliverAlarmChanges();
    const switches = await switchStore.list();
    for (const [name, env] of Object.entries(options.config.environments)) {
      const releases = await recentReleases(dynamodb, name, 10, options.stage);
      for (const release of releases) await playRelease(release, env, switches);
      if (releaseChanged) for (const line of releaseChanges(seen, releases, new Date())) releaseChanged(line);
    }
  };

  const running = (async () => {
    while (!stopping.signal.aborted) {
      await tick().catch((error: unknown) => {
        log(`emulated events: ${(error as Error).message}`);
      });
      await sleep(options.intervalMs ?? 1000, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();

  return {
    stop: async () => {
      stopping.abort();
      await running;
      switchStore.destroy();
    },
  };
}
