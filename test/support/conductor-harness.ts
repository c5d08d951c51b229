import { emulatorEndpoint } from './aws-env.js';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { seedEmulator } from '../../scripts/lib/seed.js';
import { readConductorConfigFile } from '../../src/config/file.js';
import type { Release } from '../../src/domain/release.js';
import { pushImage } from '../../src/local/images.js';
import { httpEvent, jsonHeaders } from './http-event.js';
import { lambdaContext } from './lambda-context.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

type Handler<E, R = unknown> = (event: E, context: Context) => Promise<R>;
/** A handler as a test calls it: the harness supplies a fresh Lambda context per invocation. */
type Invoke = (event: unknown) => Promise<unknown>;

/**
 * The conductor's handlers wired to the run's emulator through a recording proxy, as deployed
 * functions would be wired to AWS, plus the moves a test makes as AWS would (pushes, events).
 */
export interface ConductorHarness {
  proxy: RecordingProxy;
  onImagePush: Invoke;
  onBuildStateChange: Invoke;
  onTaskStateChange: Invoke;
  onDeploymentStateChange: Invoke;
  reconcile: Invoke;
  api: Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
  release: (id: string) => Promise<Release>;
  post: (path: string, body: unknown, token?: string) => Promise<{ statusCode: number; json: Record<string, unknown> }>;
  get: (path: string, token?: string) => Promise<{ statusCode: number; json: Record<string, unknown> }>;
  /** A release of `version` taken through push, builds and build events to BUILT. */
  builtRelease: (version: string) => Promise<Release>;
  /** The same up to the builds pushing their images, with every build event lost: still BUILDING. */
  builtReleaseWithoutBuildEvents: (version: string) => Promise<Release>;
  close: () => Promise<void>;
}

export const ENVIRONMENT = 'cgap-mastertest';
/** conductor.yml's repository and services of that environment, as the emulator knows them. */
export const REPOSITORY_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/cgap-mastertest';
export const SERVICES = {
  wsgi: 'cgap-mastertest-wsgi',
  indexer: 'cgap-mastertest-indexer',
  ingester: 'cgap-mastertest-ingester',
};
const REPOSITORY = 'cgap-mastertest';
const fixture = JSON.parse(readFileSync(new URL('../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
  detail: Record<string, unknown>;
};
let requestCounter = 0;

export function buildStateEvent(buildId: string, status: string) {
  const arn = `arn:aws:codebuild:us-east-1:123456789012:build/${buildId}`;
  return {
    version: '0',
    id: `build-${buildId}-${status}`,
    'detail-type': 'CodeBuild Build State Change',
    source: 'aws.codebuild',
    account: '123456789012',
    time: '2026-11-25T15:00:00Z',
    region: 'us-east-1',
    resources: [arn],
    detail: { 'build-status': status, 'project-name': REPOSITORY, 'build-id': arn },
  };
}

export function taskStoppedEvent(
  taskArn: string,
  releaseId: string,
  containers: { name: string; exitCode?: number }[],
  stopCode = 'EssentialContainerExited',
) {
  return {
    version: '0',
    id: `task-${taskArn}-${stopCode}`,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: '123456789012',
    time: '2026-11-25T15:00:00Z',
    region: 'us-east-1',
    resources: [taskArn],
    detail: {
      taskArn,
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/cgap-mastertest',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      startedBy: `ecs-conductor/${releaseId}`,
      stopCode,
      stoppedReason:
        stopCode === 'TaskFailedToStart'
          ? 'CannotPullContainerError: pull image manifest has been retried'
          : 'Essential container in task exited',
      version: 5,
      containers,
    },
  };
}

export async function startConductorHarness(): Promise<ConductorHarness> {
  await seedEmulator(emulatorEndpoint, readConductorConfigFile('conductor.yml'), { stage: 'test' });
  // Test files share the emulator: start each with the environment free of an earlier file's rollout
  // lock and of its scaling state (a manual hold would pin the ingester for 30 minutes).
  const dynamodb = new DynamoDBClient({ endpoint: emulatorEndpoint });
  for (const sk of ['LOCK', 'SCALING#ingestion']) {
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: 'ecs-conductor-test-state',
        Key: { pk: { S: `ENV#${ENVIRONMENT}` }, sk: { S: sk } },
      }),
    );
  }
  const proxy = await startRecordingProxy(emulatorEndpoint);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  process.env.CONDUCTOR_TABLE = 'ecs-conductor-test-state';
  // Imported only now, so that their module-scope clients see the proxy's endpoint.
  const [onImagePush, onBuildStateChange, onTaskStateChange, onDeploymentStateChange, reconcile, api] = (
    await Promise.all([
      import('../../src/handlers/on-image-push.js'),
      import('../../src/handlers/on-build-state-change.js'),
      import('../../src/handlers/on-task-state-change.js'),
      import('../../src/handlers/on-deployment-state-change.js'),
      import('../../src/handlers/reconcile.js'),
      import('../../src/handlers/api.js'),
    ])
  ).map((module) => module.handler as unknown as Handler<unknown>);
  const { releases } = (await import('../../src/handlers/wiring.js')).stateAdapters;
  const ecrClient = new ECRClient({ endpoint: emulatorEndpoint });
  const context = (prefix: string) =>
    lambdaContext(`ecs-conductor-test-${prefix}`, `${prefix}-${String((requestCounter += 1))}-${String(Date.now())}`);

  const release = async (id: string) => {
    const stored = await releases.get(id);
    if (!stored) throw new Error(`release ${id} not found`);
    return stored.release;
  };
  const call = async (method: string, path: string, body: unknown, token: string) => {
    const options =
      body === undefined
        ? { headers: jsonHeaders(token) }
        : { headers: jsonHeaders(token), body: JSON.stringify(body) };
    const response = await (api as Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>)(
      httpEvent(method, path, options),
      context('api'),
    );
    return {
      statusCode: response.statusCode ?? 0,
      json: JSON.parse(response.body ?? 'null') as Record<string, unknown>,
    };
  };

  /** Pushes the source image, lets onImagePush start the builds, and pushes what each build would. */
  const pushAndBuild = async (version: string) => {
    const digest = await pushImage(ecrClient, REPOSITORY, version);
    await (onImagePush as Handler<unknown>)(
      { ...fixture, id: `evt-${version}`, detail: { ...fixture.detail, 'image-tag': version, 'image-digest': digest } },
      context('push'),
    );
    const { releaseIdFor } = await import('../../src/domain/release.js');
    const building = await release(releaseIdFor(ENVIRONMENT, digest, ['wsgi', 'indexer', 'ingester', 'deployment']));
    for (const build of Object.values(building.builds)) await pushImage(ecrClient, REPOSITORY, build.imageTag);
    return building;
  };

  return {
    proxy,
    onImagePush: (event) => (onImagePush as Handler<unknown>)(event, context('push')),
    onBuildStateChange: (event) => (onBuildStateChange as Handler<unknown>)(event, context('build')),
    onTaskStateChange: (event) => (onTaskStateChange as Handler<unknown>)(event, context('task')),
    onDeploymentStateChange: (event) => (onDeploymentStateChange as Handler<unknown>)(event, context('deployment')),
    reconcile: (event) => (reconcile as Handler<unknown>)(event, context('reconcile')),
    api: api as Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>,
    release,
    post: (path, body, token = 'developer-token') => call('POST', path, body, token),
    get: (path, token = 'developer-token') => call('GET', path, undefined, token),
    builtReleaseWithoutBuildEvents: (version) => pushAndBuild(version),
    builtRelease: async (version) => {
      const building = await pushAndBuild(version);
      for (const build of Object.values(building.builds)) {
        await (onBuildStateChange as Handler<unknown>)(
          buildStateEvent(build.buildId ?? '', 'SUCCEEDED'),
          context('build'),
        );
      }
      return release(building.id);
    },
    close: async () => {
      process.env.AWS_ENDPOINT_URL = emulatorEndpoint;
      await proxy.close();
    },
  };
}
