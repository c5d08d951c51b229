import { describe, expect, it, vi } from 'vitest';
import type { ServiceState, TaskDefinitionSummary } from '../../../../src/domain/ecs-state.js';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import type { Release } from '../../../../src/domain/release.js';
import {
  environmentStatusSchema,
  environmentListSchema,
  type EnvironmentStatusDeps,
} from '../../../../src/handlers/routes/environment-status.js';
import { environmentStatusRoute, listEnvironmentsRoute } from '../../../../src/handlers/routes/environments.js';
import { parseImageReference } from '../../../../src/handlers/routes/image-reference.js';
import { callRoute } from '../../../support/route-call.js';

const config = readConductorConfigFile('conductor.yml');
const RELEASE_ROLE = 'arn:aws:iam::123456789012:role/cgap-release';
const OUTSIDER = 'arn:aws:iam::123456789012:role/outsider';
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function service(name: string, revision: number, overrides: Partial<ServiceState> = {}): ServiceState {
  const taskDefinitionArn = `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:${revision}`;
  return {
    name,
    arn: `arn:aws:ecs:us-east-1:123456789012:service/cgap-mastertest/${name}`,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 1,
    pendingCount: 1,
    taskDefinitionArn,
    deployments: [
      {
        id: 'ecs-svc/2',
        status: 'PRIMARY',
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment ecs-svc/2 in progress.',
        taskDefinitionArn,
        desiredCount: 2,
        runningCount: 1,
        pendingCount: 1,
      },
      {
        id: 'ecs-svc/1',
        status: 'ACTIVE',
        rolloutState: 'COMPLETED',
        taskDefinitionArn: `${taskDefinitionArn}0`,
        desiredCount: 2,
        runningCount: 0,
        pendingCount: 0,
      },
    ],
    ...overrides,
  };
}

function release(overrides: Partial<Release>): Release {
  return {
    id: 'rel-0123456789abcdef0123',
    environment: 'cgap-mastertest',
    version: '1.4.0',
    sourceDigest: DIGEST,
    state: 'DEPLOYING',
    builds: {},
    triggeredBy: RELEASE_ROLE,
    createdAt: '2026-11-25T15:00:00.000Z',
    updatedAt: '2026-11-25T15:05:00.000Z',
    timeline: [
      { at: '2026-11-25T15:00:00.000Z', step: 'release created' },
      { at: '2026-11-25T15:05:00.000Z', step: 'roll services wsgi, indexer, ingester' },
    ],
    ...overrides,
  };
}

function fakeDeps(overrides: Partial<EnvironmentStatusDeps> = {}) {
  const definitions: Record<string, TaskDefinitionSummary> = {};
  const images: Record<string, string> = {
    'cgap-mastertest-wsgi': `${REGISTRY}/cgap-mastertest@${DIGEST}`,
    'cgap-mastertest-indexer': `${REGISTRY}/cgap-mastertest:1.3.9-indexer`,
  };
  for (const [name, image] of Object.entries(images)) {
    const arn = `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:7`;
    definitions[arn] = {
      arn,
      family: name,
      revision: 7,
      containers: [
        { name: 'sidecar', image: 'nginx:1' },
        { name: 'app', image },
      ],
    };
  }
  const deps = {
    config,
    describeServices: vi.fn<EnvironmentStatusDeps['describeServices']>((_cluster, names) =>
      Promise.resolve({
        // The ingester is missing: ECS reports it as a failure.
        services: names.filter((name) => !name.endsWith('ingester')).map((name) => service(name, 7)),
        missing: names.filter((name) => name.endsWith('ingester')),
      }),
    ),
    describeTaskDefinition: vi.fn<EnvironmentStatusDeps['describeTaskDefinition']>((arn) => {
      const definition = definitions[arn];
      return definition ? Promise.resolve(definition) : Promise.reject(new Error(`no ${arn}`));
    }),
    queueBacklog: vi.fn<EnvironmentStatusDeps['queueBacklog']>(() =>
      Promise.resolve({ visible: 12, inFlight: 3, delayed: 1 }),
    ),
    activeRelease: vi.fn<EnvironmentStatusDeps['activeRelease']>((env) =>
      Promise.resolve(env === 'cgap-mastertest' ? release({}) : undefined),
    ),
    latestRelease: vi.fn<EnvironmentStatusDeps['latestRelease']>((env) =>
      Promise.resolve(
        env === 'cgap-mastertest' ? release({}) : release({ environment: env, version: '1.3.9', state: 'COMPLETED' }),
      ),
    ),
    scalingStatus: vi.fn<EnvironmentStatusDeps['scalingStatus']>(() =>
      Promise.resolve({
        lastDecision: {
          at: '2026-11-25T15:04:00.000Z',
          desiredCount: 4,
          reason: '12 visible + 3 in flight at 1 per task, capped at 4',
        },
        hold: { desiredCount: 2, until: '2026-11-25T16:00:00.000Z', by: RELEASE_ROLE },
      }),
    ),
    ...overrides,
  };
  return deps;
}

describe('parseImageReference', () => {
  it.each([
    ['cgap:1.4.0', { repository: 'cgap', tag: '1.4.0', digest: null }],
    [`${REGISTRY}/cgap@${DIGEST}`, { repository: `${REGISTRY}/cgap`, tag: null, digest: DIGEST }],
    [`${REGISTRY}/cgap:1.4.0-wsgi@${DIGEST}`, { repository: `${REGISTRY}/cgap`, tag: '1.4.0-wsgi', digest: DIGEST }],
    ['localhost:5000/team/cgap', { repository: 'localhost:5000/team/cgap', tag: null, digest: null }],
    ['localhost:5000/cgap:latest', { repository: 'localhost:5000/cgap', tag: 'latest', digest: null }],
  ])('splits %s', (image, parts) => {
    expect(parseImageReference(image)).toEqual(parts);
  });
});

describe('GET /environments', () => {
  it('lists the environments the caller may read, each with a one-line state', async () => {
    const reply = await callRoute(listEnvironmentsRoute(fakeDeps()), '/environments', RELEASE_ROLE);
    expect(reply.statusCode).toBe(200);
    expect(environmentListSchema.parse(reply.json)).toEqual({
      environments: [
        {
          name: 'cgap-mastertest',
          cluster: 'cgap-mastertest',
          state: 'deploying 1.4.0 (rel-0123456789abcdef0123)',
          activeRelease: {
            id: 'rel-0123456789abcdef0123',
            version: '1.4.0',
            state: 'DEPLOYING',
            currentStep: 'roll services wsgi, indexer, ingester',
            updatedAt: '2026-11-25T15:05:00.000Z',
          },
        },
        { name: 'cgap-prod', cluster: 'cgap-prod', state: 'last release 1.3.9 COMPLETED', activeRelease: null },
      ],
    });
  });

  it('says idle for an environment without releases', async () => {
    const deps = fakeDeps({
      activeRelease: () => Promise.resolve(undefined),
      latestRelease: () => Promise.resolve(undefined),
    });
    const reply = await callRoute(listEnvironmentsRoute(deps), '/environments', RELEASE_ROLE);
    expect((reply.json as { environments: { state: string }[] }).environments.map((env) => env.state)).toEqual([
      'idle',
      'idle',
    ]);
  });

  it('gives a caller on no read list an empty list, reading nothing', async () => {
    const deps = fakeDeps();
    const reply = await callRoute(listEnvironmentsRoute(deps), '/environments', OUTSIDER);
    expect(reply).toMatchObject({ statusCode: 200, json: { environments: [] } });
    expect(deps.latestRelease).not.toHaveBeenCalled();
  });
});

describe('GET /environments/{env}', () => {
  const path = '/environments/cgap-mastertest';
  const pathParameters = { env: 'cgap-mastertest' };

  it('reads services, task definitions, queues, releases and scaling, describing all services in one call', async () => {
    const deps = fakeDeps();
    const reply = await callRoute(environmentStatusRoute(deps), path, RELEASE_ROLE, { pathParameters });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers).toMatchObject({ 'x-request-id': 'req-7' });
    const status = environmentStatusSchema.parse(reply.json);
    expect(deps.describeServices).toHaveBeenCalledTimes(1);
    expect(deps.describeServices).toHaveBeenCalledWith('cgap-mastertest', [
      'cgap-mastertest-wsgi',
      'cgap-mastertest-indexer',
      'cgap-mastertest-ingester',
    ]);
    expect(status.state).toBe('deploying 1.4.0 (rel-0123456789abcdef0123)');
    expect(status.services).toEqual([
      {
        key: 'wsgi',
        name: 'cgap-mastertest-wsgi',
        status: 'ACTIVE',
        desiredCount: 2,
        runningCount: 1,
        pendingCount: 1,
        configuredDesiredCount: 8,
        taskDefinition: {
          arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-wsgi:7',
          family: 'cgap-mastertest-wsgi',
          revision: 7,
        },
        image: {
          container: 'app',
          image: `${REGISTRY}/cgap-mastertest@${DIGEST}`,
          repository: `${REGISTRY}/cgap-mastertest`,
          tag: null,
          digest: DIGEST,
        },
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment ecs-svc/2 in progress.',
        deployments: 2,
      },
      expect.objectContaining({
        key: 'indexer',
        image: expect.objectContaining({ tag: '1.3.9-indexer', digest: null }) as unknown,
      }),
      {
        key: 'ingester',
        name: 'cgap-mastertest-ingester',
        status: 'MISSING',
        desiredCount: null,
        runningCount: null,
        pendingCount: null,
        configuredDesiredCount: 1,
        taskDefinition: null,
        image: null,
        rolloutState: null,
        rolloutStateReason: null,
        deployments: 0,
      },
    ]);
    expect(status.queues).toEqual([
      {
        key: 'ingestion',
        queue: 'cgap-mastertest-ingestion-queue',
        service: 'ingester',
        minTasks: 1,
        maxTasks: 4,
        visible: 12,
        inFlight: 3,
        delayed: 1,
        lastDecision: {
          at: '2026-11-25T15:04:00.000Z',
          desiredCount: 4,
          reason: '12 visible + 3 in flight at 1 per task, capped at 4',
        },
        hold: { desiredCount: 2, until: '2026-11-25T16:00:00.000Z', by: RELEASE_ROLE },
      },
    ]);
    expect(deps.scalingStatus).toHaveBeenCalledWith('cgap-mastertest', 'ingestion');
    expect(status.activeRelease?.currentStep).toBe('roll services wsgi, indexer, ingester');
  });

  it('describes each task definition once even when services share it', async () => {
    const shared = service('cgap-mastertest-wsgi', 7);
    const deps = fakeDeps({
      describeServices: (_cluster, names) =>
        Promise.resolve({ services: names.map((name) => ({ ...shared, name })), missing: [] }),
    });
    await callRoute(environmentStatusRoute(deps), path, RELEASE_ROLE, { pathParameters });
    expect(deps.describeTaskDefinition).toHaveBeenCalledTimes(1);
  });

  it('passes on only the documented fields of what the autoscaler stored', async () => {
    const stored = {
      lastDecision: { at: '2026-11-25T15:04:00.000Z', desiredCount: 3, change: true, reason: 'scale out' },
      hold: { desiredCount: 2, until: '2026-11-25T16:00:00.000Z' },
    };
    const reply = await callRoute(
      environmentStatusRoute(fakeDeps({ scalingStatus: () => Promise.resolve(stored) })),
      path,
      RELEASE_ROLE,
      { pathParameters },
    );
    expect(reply.json).toMatchObject({
      queues: [{ lastDecision: { at: '2026-11-25T15:04:00.000Z', desiredCount: 3, reason: 'scale out' } }],
    });
    expect(environmentStatusSchema.safeParse(reply.json).success).toBe(true);
    expect(JSON.stringify(reply.json)).not.toContain('change');
  });

  it('shows no scaling decision or hold when the autoscaler has none', async () => {
    const deps = fakeDeps({ scalingStatus: () => Promise.resolve(undefined) });
    const reply = await callRoute(environmentStatusRoute(deps), path, RELEASE_ROLE, { pathParameters });
    expect(reply.json).toMatchObject({ queues: [{ lastDecision: null, hold: null }] });
  });

  it('refuses an unknown environment with 404 and a caller off the read list with 403, before any AWS call', async () => {
    const deps = fakeDeps();
    const route = environmentStatusRoute(deps);
    await expect(
      callRoute(route, '/environments/nowhere', RELEASE_ROLE, { pathParameters: { env: 'nowhere' } }),
    ).rejects.toMatchObject({ statusCode: 404 });
    await expect(callRoute(route, path, OUTSIDER, { pathParameters })).rejects.toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
    });
    expect(deps.describeServices).not.toHaveBeenCalled();
  });
});
