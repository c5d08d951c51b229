import { CodeBuildClient, ListBuildsForProjectCommand } from '@aws-sdk/client-codebuild';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient, ListTaskDefinitionsCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { expect } from 'vitest';
import { freePort } from '../../scripts/lib/emulator.js';
import { startLocalMode, type LocalMode, type LocalModeOptions } from '../../scripts/local.js';
import type { ConductorConfig } from '../../src/config/schema.js';

/**
 * Local mode (`npm start`) for tests of the HTTP API over real HTTP: serverless-offline in front of
 * the api Lambda, moto behind it. Startup takes 15-30 s: the `shared-local-mode` project's files share one
 * (shared-local-mode.ts); a file on another config starts its own with startLocalModeOn.
 */

/** Local mode on another config file for an end-to-end test: quiet, emulated tasks stopping after 2 s. */
export async function startLocalModeOn(
  configPath: string,
  token: string,
  options: Partial<LocalModeOptions> = {},
): Promise<LocalMode> {
  return startLocalMode({
    configPath,
    emulatorPort: await freePort(),
    httpPort: await freePort(),
    lambdaPort: await freePort(),
    token,
    serverlessOutput: 'ignore',
    ownBuildDir: true,
    taskStopSeconds: 2,
    log: () => undefined,
    ...options,
  });
}

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface HttpCall {
  token?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request to the local API; every reply must carry a request id, whatever its status. */
export async function call(baseUrl: string, method: string, path: string, options: HttpCall = {}): Promise<HttpReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  expect(response.headers.get('x-request-id'), `${method} ${path} → ${response.status} without x-request-id`).toMatch(
    /\S/,
  );
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * What a refused request must not change: builds started, rows of releases and rollouts written,
 * services' desired counts and task definitions, task definitions registered and tasks started.
 */
export async function emulatorSnapshot(endpoint: string, config: ConductorConfig): Promise<Record<string, unknown>> {
  const settings = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const codebuild = new CodeBuildClient(settings);
  const dynamodb = new DynamoDBClient(settings);
  const ecs = new ECSClient(settings);
  try {
    const snapshot: Record<string, unknown> = {};
    for (const [name, env] of Object.entries(config.environments)) {
      const builds = env.codebuild
        ? await codebuild.send(new ListBuildsForProjectCommand({ projectName: env.codebuild.project }))
        : { ids: [] };
      const services = await ecs.send(
        new DescribeServicesCommand({
          cluster: env.cluster,
          services: Object.values(env.services).map((service) => service.service),
        }),
      );
      const running = await ecs.send(new ListTasksCommand({ cluster: env.cluster, desiredStatus: 'RUNNING' }));
      const stopped = await ecs.send(new ListTasksCommand({ cluster: env.cluster, desiredStatus: 'STOPPED' }));
      snapshot[name] = {
        builds: builds.ids?.length ?? 0,
        services: (services.services ?? []).map((service) => [
          service.serviceName,
          service.desiredCount,
          service.taskDefinition,
        ]),
        tasks: (running.taskArns?.length ?? 0) + (stopped.taskArns?.length ?? 0),
      };
    }
    snapshot.taskDefinitions = (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns?.length ?? 0;
    // Releases, builds, deployments, rollout locks, current-release pointers and manual scaling holds.
    // Not the autoscaler's own memory: the every-minute schedule may update it while the test runs.
    const items = (await dynamodb.send(new ScanCommand({ TableName: 'ecs-conductor-local-state' }))).Items ?? [];
    const pk = (item: Record<string, AttributeValue>) => item.pk?.S ?? '';
    const sk = (item: Record<string, AttributeValue>) => item.sk?.S ?? '';
    snapshot.stateRows = items
      .filter(
        (item) =>
          /^(RELEASE|BUILD|DEPLOYMENT)#/.test(pk(item)) ||
          (pk(item).startsWith('ENV#') && ['LOCK', 'CURRENT'].includes(sk(item))),
      )
      .map((item) => JSON.stringify(item))
      .sort();
    // A scaling record without a hold is the autoscaler's memory, which its first tick may create.
    snapshot.holds = items
      .filter(
        (item) => pk(item).startsWith('ENV#') && sk(item).startsWith('SCALING#') && item.record?.M?.hold !== undefined,
      )
      .map((item) => `${pk(item)}|${sk(item)}|${JSON.stringify(item.record?.M?.hold ?? null)}`)
      .sort();
    return snapshot;
  } finally {
    codebuild.destroy();
    dynamodb.destroy();
    ecs.destroy();
  }
}
