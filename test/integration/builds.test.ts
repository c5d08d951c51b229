import { emulatorEndpoint } from '../support/aws-env.js';
import { BatchGetBuildsCommand, CodeBuildClient, ListBuildsForProjectCommand } from '@aws-sdk/client-codebuild';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedEmulator } from '../../scripts/lib/seed.js';
import { readConductorConfigFile } from '../../src/config/file.js';
import { pushClaimOwner } from '../../src/domain/image-push.js';
import { releaseIdFor, type Release } from '../../src/domain/release.js';
import { buildStateEvent } from '../support/conductor-harness.js';
import { pushImage } from '../../src/local/images.js';
import { httpEvent, jsonHeaders } from '../support/http-event.js';
import { lambdaContext } from '../support/lambda-context.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

type Handler<E, R = unknown> = (event: E, context: Context) => Promise<R>;

const REPOSITORY = 'cgap-mastertest';
const PROJECT = 'cgap-mastertest';
const ENTRYPOINTS = ['wsgi', 'indexer', 'ingester', 'deployment'];
const fixture = JSON.parse(readFileSync(new URL('../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
  id: string;
  detail: Record<string, unknown>;
};

const ecrClient = new ECRClient({ endpoint: emulatorEndpoint });
const codebuildClient = new CodeBuildClient({ endpoint: emulatorEndpoint });
const dynamodbClient = new DynamoDBClient({ endpoint: emulatorEndpoint });

let proxy: RecordingProxy;
let onImagePush: Handler<unknown>;
let onBuildStateChange: Handler<unknown>;
let api: Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
let releases: { get: (id: string) => Promise<{ release: Release } | undefined> };
let versionCounter = 0;

/** An ECR push event exactly as AWS documents it, for a fresh image of a new version. */
async function freshPush(overrides: Record<string, unknown> = {}) {
  versionCounter += 1;
  const version = `1.${String(process.pid % 1000)}.${String(versionCounter)}`;
  const digest = await pushImage(ecrClient, REPOSITORY, version);
  const event = {
    ...fixture,
    id: `evt-${version}`,
    detail: { ...fixture.detail, 'image-tag': version, 'image-digest': digest, ...overrides },
  };
  return { version, digest, event };
}

/** A build claim row as the release store writes it, held by `owner` until `leaseExpiresAt` (epoch seconds). */
async function putClaim(releaseId: string, entrypoint: string, owner: string, leaseExpiresAt: number): Promise<void> {
  await dynamodbClient.send(
    new PutItemCommand({
      TableName: 'ecs-conductor-test-state',
      Item: {
        pk: { S: `RELEASE#${releaseId}` },
        sk: { S: `CLAIM#${entrypoint}` },
        owner: { S: owner },
        leaseExpiresAt: { N: String(leaseExpiresAt) },
        expiration: { N: String(leaseExpiresAt) },
      },
    }),
  );
}

async function buildCount(): Promise<number> {
  return (await codebuildClient.send(new ListBuildsForProjectCommand({ projectName: PROJECT }))).ids?.length ?? 0;
}

async function releaseOf(id: string): Promise<Release> {
  const stored = await releases.get(id);
  if (!stored) throw new Error(`release ${id} not found`);
  return stored.release;
}

beforeAll(async () => {
  await seedEmulator(emulatorEndpoint, readConductorConfigFile('conductor.yml'), { stage: 'test' });
  proxy = await startRecordingProxy(emulatorEndpoint);
  // The handlers' module-scope clients read the endpoint when first imported: point them at the proxy.
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  process.env.CONDUCTOR_TABLE = 'ecs-conductor-test-state';
  onImagePush = (await import('../../src/handlers/on-image-push.js')).handler as Handler<unknown>;
  onBuildStateChange = (await import('../../src/handlers/on-build-state-change.js')).handler as Handler<unknown>;
  api = (await import('../../src/handlers/api.js')).handler as Handler<
    APIGatewayProxyEventV2,
    APIGatewayProxyStructuredResultV2
  >;
  releases = (await import('../../src/handlers/wiring.js')).stateAdapters.releases;
}, 60_000);

afterAll(async () => {
  process.env.AWS_ENDPOINT_URL = emulatorEndpoint;
  await proxy.close();
});

beforeEach(() => {
  proxy.calls.length = 0;
});

describe('builds started by an ECR push', () => {
  it('starts exactly one build per entrypoint with the overrides the buildspec needs', async () => {
    const { version, digest, event } = await freshPush();
    const before = await buildCount();

    const summary = await onImagePush(event, lambdaContext());

    expect(summary).toEqual({
      outcome: 'handled',
      releases: [
        {
          releaseId: releaseIdFor('cgap-mastertest', digest, ENTRYPOINTS),
          environment: 'cgap-mastertest',
          version,
          releaseState: 'BUILDING',
          buildsStarted: ENTRYPOINTS,
        },
      ],
    });
    expect(await buildCount()).toBe(before + 4);
    const requests = proxy.bodiesOf('StartBuild');
    expect(requests.map((body) => body.projectName)).toEqual([PROJECT, PROJECT, PROJECT, PROJECT]);
    const overrides = requests.map((body) =>
      Object.fromEntries(
        (body.environmentVariablesOverride as { name: string; value: string; type: string }[]).map((v) => [
          v.name,
          v.value,
        ]),
      ),
    );
    expect(overrides).toEqual(
      ENTRYPOINTS.map((name) => ({
        ENTRYPOINT: name,
        SOURCE_TAG: version,
        ECR_REPOSITORY: REPOSITORY,
        IMAGE_TAG: `${version}-${name}`,
        DOCKER_ENTRYPOINT: `entrypoint_${name}.sh`,
        ALIAS_TAG: '',
        // conductor.yml's image settings for CGAP.
        APP_USER: 'nginx',
        CONFIGURE_COMMAND: 'python -m assume_identity',
      })),
    );
    const tokens = requests.map((body) => body.idempotencyToken);
    expect(new Set(tokens).size).toBe(4);

    const release = await releaseOf(releaseIdFor('cgap-mastertest', digest, ENTRYPOINTS));
    expect(release).toMatchObject({
      environment: 'cgap-mastertest',
      version,
      sourceDigest: digest,
      state: 'BUILDING',
      triggeredBy: `push:${event.id}`,
    });
    expect(Object.values(release.builds).map((build) => [build.status, typeof build.buildId])).toEqual(
      ENTRYPOINTS.map(() => ['IN_PROGRESS', 'string']),
    );
  });

  it('starts nothing more when the same event arrives three more times, even at once', async () => {
    const { event } = await freshPush();
    const first = await onImagePush(event, lambdaContext());
    const after = await buildCount();
    proxy.calls.length = 0;

    // Idempotency answers a redelivery with what the first delivery returned.
    expect(await onImagePush(event, lambdaContext('ecs-conductor-test-onImagePush', 'redelivery-0'))).toEqual(first);
    await Promise.all(
      [1, 2, 3].map((n) =>
        onImagePush(event, lambdaContext('ecs-conductor-test-onImagePush', `redelivery-${String(n)}`)),
      ),
    );

    expect(await buildCount()).toBe(after);
    expect(proxy.bodiesOf('StartBuild')).toHaveLength(0);
  });

  it('takes over the claims a failed delivery of the same push left, but waits for another owner’s', async () => {
    const { digest, event } = await freshPush();
    const releaseId = releaseIdFor('cgap-mastertest', digest, ENTRYPOINTS);
    const inAMinute = Math.floor(Date.now() / 1000) + 60;
    // The state a delivery leaves when it claimed wsgi, failed to start it and could not give the claim back.
    await putClaim(releaseId, 'wsgi', pushClaimOwner('cgap-mastertest', digest), inAMinute);
    // A build request through the API claimed the indexer and is still starting it.
    await putClaim(releaseId, 'indexer', 'api-request-1', inAMinute);
    proxy.calls.length = 0;

    await expect(onImagePush(event, lambdaContext())).rejects.toThrow(/builds of indexer .* claimed but not started/);

    const release = await releaseOf(releaseId);
    expect(Object.entries(release.builds).map(([name, build]) => [name, typeof build.buildId])).toEqual([
      ['wsgi', 'string'],
      ['indexer', 'undefined'],
      ['ingester', 'string'],
      ['deployment', 'string'],
    ]);
    expect(
      proxy
        .bodiesOf('StartBuild')
        .map(
          (body) =>
            (body.environmentVariablesOverride as { name: string; value: string }[]).find(
              (v) => v.name === 'ENTRYPOINT',
            )?.value,
        ),
    ).toEqual(['wsgi', 'ingester', 'deployment']);
  });

  it.each([
    ['a derived entrypoint tag (CodeBuild pushing its own output)', { 'image-tag': '9.9.9-indexer' }],
    ['another repository', { 'repository-name': 'tibanna-awsf' }],
    ['an untagged manifest', { 'image-tag': undefined }],
    ['a DELETE action', { 'action-type': 'DELETE' }],
  ])('starts no build for %s and writes nothing', async (_name, overrides) => {
    const { event } = await freshPush(overrides);
    const before = await buildCount();
    proxy.calls.length = 0;

    await onImagePush(event, lambdaContext());

    expect(await buildCount()).toBe(before);
    expect(proxy.calls).toHaveLength(0);
  });
});

describe('POST /environments/{env}/builds', () => {
  async function post(body: unknown, token = 'developer-token') {
    const response = await api(
      httpEvent('POST', '/environments/cgap-mastertest/builds', {
        headers: jsonHeaders(token),
        body: JSON.stringify(body),
      }),
      lambdaContext('ecs-conductor-test-api', `api-${String(Date.now())}`),
    );
    return { ...response, json: JSON.parse(response.body ?? 'null') as Record<string, unknown> };
  }

  it('does what a push does and answers 202 with the release and build ids', async () => {
    versionCounter += 1;
    const version = `2.0.${String(versionCounter)}`;
    const digest = await pushImage(ecrClient, REPOSITORY, version);
    const before = await buildCount();

    const response = await post({ version });

    expect(response.statusCode).toBe(202);
    expect(response.json).toMatchObject({
      environment: 'cgap-mastertest',
      version,
      sourceDigest: digest,
      state: 'BUILDING',
      startedNow: ENTRYPOINTS,
    });
    expect(response.headers).toMatchObject({ location: `/releases/${String(response.json.releaseId)}` });
    expect(await buildCount()).toBe(before + 4);
    const release = await releaseOf(String(response.json.releaseId));
    expect(release.triggeredBy).toBe('arn:aws:iam::123456789012:role/cgap-developer');

    const again = await post({ version });
    expect(again.statusCode).toBe(202);
    expect(again.json).toMatchObject({ releaseId: response.json.releaseId, startedNow: [] });
    expect(await buildCount()).toBe(before + 4);
  });

  it('builds only the entrypoints asked for', async () => {
    versionCounter += 1;
    const version = `2.1.${String(versionCounter)}`;
    await pushImage(ecrClient, REPOSITORY, version);
    const before = await buildCount();

    const response = await post({ version, entrypoints: ['indexer', 'deployment'] });

    expect(response.statusCode).toBe(202);
    expect(Object.keys(response.json.builds as object)).toEqual(['indexer', 'deployment']);
    expect(await buildCount()).toBe(before + 2);
  });

  it.each([
    [
      'a version with no image in the repository',
      { version: '7.7.7' },
      'body.version',
      'no image tagged "7.7.7" in repository cgap-mastertest',
    ],
    [
      'an injection attempt as version',
      { version: '1.0.0;rm -rf /' },
      'body.version',
      'must be an ECR image tag: 1-128 letters, digits, _ . -, not starting with . or -',
    ],
    [
      'an unknown entrypoint',
      { version: '1.0.0', entrypoints: ['worker'] },
      'body.entrypoints.0',
      'unknown entrypoint "worker" (known: wsgi, indexer, ingester, deployment)',
    ],
  ])('answers 422 for %s and starts nothing', async (_name, body, path, message) => {
    const before = await buildCount();
    proxy.calls.length = 0;

    const response = await post(body);

    expect(response.statusCode).toBe(422);
    expect(response.json).toEqual({
      error: { code: 'INVALID_REQUEST', message: 'the request body is invalid', details: [{ path, message }] },
    });
    expect(await buildCount()).toBe(before);
    expect(proxy.bodiesOf('StartBuild')).toHaveLength(0);
    expect(
      proxy.calls.filter((call) => call.target.startsWith('DynamoDB') && !call.target.endsWith('GetItem')),
    ).toHaveLength(0);
  });

  it('answers 422 for a derived entrypoint tag, which would start a build loop by hand', async () => {
    await pushImage(ecrClient, REPOSITORY, '3.0.0-indexer');
    const response = await post({ version: '3.0.0-indexer' });
    expect(response.statusCode).toBe(422);
    expect(response.json).toMatchObject({
      error: {
        details: [
          {
            path: 'body.version',
            message: 'tag "3.0.0-indexer" is a derived entrypoint tag (suffix -indexer) of cgap-mastertest',
          },
        ],
      },
    });
  });
});

describe('build state events', () => {
  async function startedRelease(): Promise<Release> {
    const { digest, event } = await freshPush();
    await onImagePush(event, lambdaContext());
    return releaseOf(releaseIdFor('cgap-mastertest', digest, ENTRYPOINTS));
  }

  it('moves the release to BUILT with each image digest read from ECR', async () => {
    const release = await startedRelease();
    const digests: Record<string, string> = {};
    for (const [name, build] of Object.entries(release.builds)) {
      digests[name] = await pushImage(ecrClient, REPOSITORY, build.imageTag);
      await onBuildStateChange(buildStateEvent(build.buildId ?? '', 'SUCCEEDED'), lambdaContext());
    }

    const built = await releaseOf(release.id);
    expect(built.state).toBe('BUILT');
    expect(Object.fromEntries(Object.entries(built.builds).map(([name, build]) => [name, build.digest]))).toEqual(
      digests,
    );
    expect(built.timeline.at(-1)?.step).toBe('release built');
  });

  it('moves the release to FAILED naming the build, with its log link', async () => {
    const release = await startedRelease();
    const indexer = release.builds.indexer?.buildId ?? '';
    const [build] = (await codebuildClient.send(new BatchGetBuildsCommand({ ids: [indexer] }))).builds ?? [];

    const summary = await onBuildStateChange(buildStateEvent(indexer, 'FAILED'), lambdaContext());

    expect(summary).toMatchObject({
      outcome: 'recorded',
      buildId: indexer,
      status: 'FAILED',
      releaseId: release.id,
      releaseState: 'FAILED',
      failure: expect.stringMatching(/^build of indexer FAILED/) as unknown,
      autoDeploy: 'not due',
    });
    const failed = await releaseOf(release.id);
    expect(failed.state).toBe('FAILED');
    expect(failed.failure).toMatchObject({
      step: 'build indexer',
      buildId: indexer,
      reason: expect.stringMatching(/^build of indexer FAILED/) as unknown,
    });
    const [region] = /(?<=:codebuild:)[^:]+/.exec(build?.arn ?? '') ?? [];
    const [project, uuid] = indexer.split(':');
    expect(failed.failure?.logLink).toBe(
      `https://${String(region)}.console.aws.amazon.com/cloudwatch/home?region=${String(region)}` +
        `#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252F${String(project)}/log-events/${String(uuid)}`,
    );
  });

  it('ignores builds the conductor did not start, writing nothing', async () => {
    proxy.calls.length = 0;
    expect(await onBuildStateChange(buildStateEvent('cgap-mastertest:not-ours', 'SUCCEEDED'), lambdaContext())).toEqual(
      {
        outcome: 'ignored',
        reason: 'build not started by the conductor',
        buildId: 'cgap-mastertest:not-ours',
        status: 'SUCCEEDED',
      },
    );
    expect(proxy.calls.map((call) => call.target)).toEqual(['DynamoDB_20120810.GetItem']);
  });

  it('records a redelivered event once', async () => {
    const release = await startedRelease();
    const wsgi = release.builds.wsgi?.buildId ?? '';
    await pushImage(ecrClient, REPOSITORY, release.builds.wsgi?.imageTag ?? '');
    const first = await onBuildStateChange(buildStateEvent(wsgi, 'SUCCEEDED'), lambdaContext());
    const once = await releaseOf(release.id);

    expect(await onBuildStateChange(buildStateEvent(wsgi, 'SUCCEEDED'), lambdaContext())).toEqual(first);

    expect((await releaseOf(release.id)).timeline).toEqual(once.timeline);
  });
});
