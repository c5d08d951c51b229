import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateTableName } from '../../src/aws/state-table-definition.js';
import type { ConductorConfig } from '../../src/config/schema.js';
import type { Release } from '../../src/domain/release.js';
import { codeBuildProjectName, nameOf, repositoryName } from '../../src/domain/names.js';

/**
 * What AWS does around the conductor that moto does not: CodeBuild builds that push their image and
 * finish, and EventBridge delivering CodeBuild and ECS task events to the functions. Local mode runs
 * it so a push goes to COMPLETED in seconds, as on AWS; without it only reconcile would move things.
 */
export interface LocalEventPumpOptions {
  emulator: string;
  /** serverless-offline's Lambda endpoint. */
  lambda: string;
  config: ConductorConfig;
  stage: string;
  region: string;
  /** Builds of versions matching this fail, to try the failure path locally (EMULATOR_FAIL_VERSIONS). */
  failingVersions?: RegExp | undefined;
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface LocalEventPump {
  stop: () => Promise<void>;
}

function manifest(): string {
  const digest = () => `sha256:${createHash('sha256').update(randomUUID()).digest('hex')}`;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: digest() },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2811, digest: digest() }],
  });
}

function envelope(detailType: string, source: string, detail: Record<string, unknown>, region: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: new Date().toISOString(),
    region,
    resources: [],
    detail,
  };
}

/** Invokes a function of serverless-offline and waits for it (RequestResponse); throws on an error status. */
export async function invokeLocally(lambda: string, stage: string, fn: string, event: unknown): Promise<void> {
  const response = await fetch(`${lambda}/2015-03-31/functions/ecs-conductor-${stage}-${fn}/invocations`, {
    method: 'POST',
    body: JSON.stringify(event),
  });
  if (!response.ok) throw new Error(`${fn} answered ${String(response.status)}`);
}

export function startLocalEventPump(options: LocalEventPumpOptions): LocalEventPump {
  const aws = {
    endpoint: options.emulator,
    region: options.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient(aws));
  const ecr = new ECRClient(aws);
  const ecs = new ECSClient(aws);
  const delivered = new Set<string>();
  const log = options.log ?? (() => undefined);
  const stopping = new AbortController();

  const invoke = (fn: string, event: unknown) => invokeLocally(options.lambda, options.stage, fn, event);

  const finishBuilds = async (release: Release, repository: string, project: string) => {
    for (const build of Object.values(release.builds)) {
      if (!build.buildId || build.status !== 'IN_PROGRESS' || delivered.has(build.buildId)) continue;
      const failed = options.failingVersions?.test(release.version) ?? false;
      if (!failed)
        await ecr.send(
          new PutImageCommand({ repositoryName: repository, imageTag: build.imageTag, imageManifest: manifest() }),
        );
      const status = failed ? 'FAILED' : 'SUCCEEDED';
      await invoke(
        'onBuildStateChange',
        envelope(
          'CodeBuild Build State Change',
          'aws.codebuild',
          {
            'build-status': status,
            'project-name': project,
            'build-id': `arn:aws:codebuild:${options.region}:123456789012:build/${build.buildId}`,
          },
          options.region,
        ),
      );
      delivered.add(build.buildId);
      log(`emulated build ${build.buildId} ${status}`);
    }
  };

  const reportStoppedTasks = async (release: Release, cluster: string) => {
    for (const task of Object.values(release.rollout?.tasks ?? {})) {
      if (!task.taskArn || task.state !== 'RUNNING' || delivered.has(task.taskArn)) continue;
      const [described] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [task.taskArn] }))).tasks ?? [];
      if (described?.lastStatus !== 'STOPPED') continue;
      await invoke(
        'onTaskStateChange',
        envelope(
          'ECS Task State Change',
          'aws.ecs',
          {
            taskArn: task.taskArn,
            clusterArn: described.clusterArn,
            lastStatus: 'STOPPED',
            startedBy: described.startedBy,
            stopCode: described.stopCode ?? 'EssentialContainerExited',
            version: 1,
            containers: (described.containers ?? []).map((container) => ({
              name: container.name,
              exitCode: container.exitCode,
            })),
          },
          options.region,
        ),
      );
      delivered.add(task.taskArn);
      log(`emulated event: task ${task.taskArn} STOPPED`);
    }
  };

  const tick = async () => {
    for (const [name, env] of Object.entries(options.config.environments)) {
      const { Items = [] } = await dynamodb.send(
        new QueryCommand({
          TableName: stateTableName(options.stage),
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': `ENV#${name}#RELEASES` },
          ScanIndexForward: false,
          Limit: 10,
        }),
      );
      for (const release of Items.map((item) => item.release as Release)) {
        // Single-image releases are BUILT when recorded: there is nothing to build. A failed release's
        // other builds still finish, as CodeBuild's do.
        if ((release.state === 'BUILDING' || release.failure?.kind === 'build') && env.codebuild)
          await finishBuilds(release, repositoryName(env.repository), codeBuildProjectName(env.codebuild.project));
        if (release.state === 'DEPLOYING') await reportStoppedTasks(release, nameOf(env.cluster));
      }
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
    },
  };
}
