import { describe, expect, it, vi } from 'vitest';
import type { ServiceState, TaskDefinitionSummary } from '../../../../src/domain/ecs-state.js';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import type { Release } from '../../../../src/domain/release.js';
import type { ScalingRecord } from '../../../../src/domain/scaling.js';
import { environmentListSchema, environmentStatusSchema } from '../../../../src/contract/api.js';
import {
  environmentStatusRoute,
  listEnvironmentsRoute,
  type EnvironmentRouteDeps,
} from '../../../../src/handlers/routes/environments.js';
import {
  environmentStatus,
  environmentSummary,
  type EnvironmentStatusPorts,
} from '../../../../src/use-cases/environment-status.js';
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

type Ports = EnvironmentStatusPorts;

/** ECS, SQS and the state table as the status queries read them; each port can be replaced. */
function fakePorts(overrides: { [Port in keyof EnvironmentStatusPorts]?: Partial<EnvironmentStatusPorts[Port]> } = {}) {
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
  const deploying = release({});
  const newest = (env: string) =>
    env === 'cgap-mastertest' ? deploying : release({ environment: env, version: '1.3.9', state: 'COMPLETED' });
  const fakes = {
    services: {
      describeServices: vi.fn<Ports['services']['describeServices']>((_cluster, names) =>
        Promise.resolve({
          // The ingester is missing: ECS reports it as a failure.
          services: names.filter((name) => !name.endsWith('ingester')).map((name) => service(name, 7)),
          missing: names.filter((name) => name.endsWith('ingester')),
        }),
      ),
    },
    tasks: {
      describeTaskDefinition: vi.fn<Ports['tasks']['describeTaskDefinition']>((arn) => {
        const definition = definitions[arn];
        return definition ? Promise.resolve(definition) : Promise.reject(new Error(`no ${arn}`));
      }),
    },
    queues: {
      queueBacklog: vi.fn<Ports['queues']['queueBacklog']>(() =>
        Promise.resolve({ visible: 12, inFlight: 3, delayed: 1 }),
      ),
    },
    // The rollout lock of cgap-mastertest names its deploying release.
    locks: {
      holder: vi.fn<Ports['locks']['holder']>((env) =>
        Promise.resolve(
          env === 'cgap-mastertest'
            ? { owner: `${deploying.id}@req-1`, releaseId: deploying.id, leaseExpiresAt: 2_000_000_000 }
            : undefined,
        ),
      ),
    },
    current: { current: vi.fn<Ports['current']['current']>(() => Promise.resolve(undefined)) },
    releases: {
      get: vi.fn<Ports['releases']['get']>((id) =>
        Promise.resolve(id === deploying.id ? { release: deploying, version: 3 } : undefined),
      ),
      listForEnvironment: vi.fn<Ports['releases']['listForEnvironment']>((env) =>
        Promise.resolve({ releases: [newest(env)] }),
      ),
    },
    scaling: {
      get: vi.fn<Ports['scaling']['get']>(() =>
        Promise.resolve({
          record: {
            state: {},
            lastDecision: {
              at: '2026-11-25T15:04:00.000Z',
              desiredCount: 4,
              change: true,
              reason: '12 visible + 3 in flight at 1 per task, capped at 4',
            },
            hold: { desiredCount: 2, until: '2026-11-25T16:00:00.000Z', by: RELEASE_ROLE },
          },
          version: 5,
        }),
      ),
    },
  } satisfies EnvironmentStatusPorts;
  for (const [port, methods] of Object.entries(overrides)) Object.assign(fakes[port as keyof typeof fakes], methods);
  return fakes;
}

/** The routes over the real status queries, reading the fakes. */
function routeDeps(ports: EnvironmentStatusPorts): EnvironmentRouteDeps {
  return {
    config,
    environmentStatus: (target) => environmentStatus(ports, target),
    environmentSummary: (target) => environmentSummary(ports, target),
  };
}

describe('GET /environments', () => {
  it('lists the environments the caller may read, each with a one-line state', async () => {
    const reply = await callRoute(listEnvironmentsRoute(routeDeps(fakePorts())), '/environments', RELEASE_ROLE);
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
    const ports = fakePorts({
      locks: { holder: () => Promise.resolve(undefined) },
      releases: { listForEnvironment: () => Promise.resolve({ releases: [] }) },
    });
    const reply = await callRoute(listEnvironmentsRoute(routeDeps(ports)), '/environments', RELEASE_ROLE);
    expect((reply.json as { environments: { state: string }[] }).environments.map((env) => env.state)).toEqual([
      'idle',
      'idle',
    ]);
  });

  it('gives a caller on no read list an empty list, reading nothing', async () => {
    const ports = fakePorts();
    const reply = await callRoute(listEnvironmentsRoute(routeDeps(ports)), '/environments', OUTSIDER);
    expect(reply).toMatchObject({ statusCode: 200, json: { environments: [] } });
    expect(ports.releases.listForEnvironment).not.toHaveBeenCalled();
    expect(ports.locks.holder).not.toHaveBeenCalled();
  });
});

describe('GET /environments/{env}', () => {
  const path = '/environments/cgap-mastertest';
  const pathParameters = { env: 'cgap-mastertest' };

  it('reads services, task definitions, queues, releases and scaling, describing all services in one call', async () => {
    const ports = fakePorts();
    const reply = await callRoute(environmentStatusRoute(routeDeps(ports)), path, RELEASE_ROLE, { pathParameters });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers).toMatchObject({ 'x-request-id': 'req-7' });
    const status = environmentStatusSchema.parse(reply.json);
    expect(ports.services.describeServices).toHaveBeenCalledTimes(1);
    expect(ports.services.describeServices).toHaveBeenCalledWith('cgap-mastertest', [
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
        version: null,
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
        version: null,
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
        wakeups: null,
      },
    ]);
    expect(ports.scaling.get).toHaveBeenCalledWith('cgap-mastertest', 'ingestion');
    expect(status.activeRelease?.currentStep).toBe('roll services wsgi, indexer, ingester');
  });

  it('describes each task definition once even when services share it', async () => {
    const shared = service('cgap-mastertest-wsgi', 7);
    const ports = fakePorts({
      services: {
        describeServices: (_cluster, names) =>
          Promise.resolve({ services: names.map((name) => ({ ...shared, name })), missing: [] }),
      },
    });
    await callRoute(environmentStatusRoute(routeDeps(ports)), path, RELEASE_ROLE, { pathParameters });
    expect(ports.tasks.describeTaskDefinition).toHaveBeenCalledTimes(1);
  });

  it('passes on only the documented fields of what the autoscaler stored', async () => {
    const record = {
      state: { checkedAt: 1, lowerNeed: [{ atMost: 2, since: 1 }] },
      lastDecision: { at: '2026-11-25T15:04:00.000Z', desiredCount: 3, change: true, reason: 'scale out' },
      // A hold stored without `by`, as older records were.
      hold: { desiredCount: 2, until: '2026-11-25T16:00:00.000Z' } as ScalingRecord['hold'],
    };
    const reply = await callRoute(
      environmentStatusRoute(routeDeps(fakePorts({ scaling: { get: () => Promise.resolve({ record, version: 2 }) } }))),
      path,
      RELEASE_ROLE,
      { pathParameters },
    );
    expect(reply.json).toMatchObject({
      queues: [{ lastDecision: { at: '2026-11-25T15:04:00.000Z', desiredCount: 3, reason: 'scale out' } }],
    });
    expect(environmentStatusSchema.safeParse(reply.json).success).toBe(true);
    expect(JSON.stringify(reply.json)).not.toContain('change');
    expect(JSON.stringify(reply.json)).not.toContain('lowerNeed');
    expect(reply.json).toMatchObject({ queues: [{ hold: { desiredCount: 2, until: '2026-11-25T16:00:00.000Z' } }] });
    expect((reply.json as { queues: { hold: object }[] }).queues[0]?.hold).not.toHaveProperty('by');
  });

  it('shows what the autoscaler learned of its wake-ups, and not those older than a week', async () => {
    const hourAgo = Date.now() - 3600_000;
    const eightDaysAgo = Date.now() - 8 * 24 * 3600_000;
    const record: ScalingRecord = {
      state: {
        wakeups: {
          peaks: [
            { used: 4, at: eightDaysAgo },
            { used: 3, at: hourAgo - 3600_000 },
            { used: 1, at: hourAgo },
          ],
        },
      },
    };
    const reply = await callRoute(
      environmentStatusRoute(routeDeps(fakePorts({ scaling: { get: () => Promise.resolve({ record, version: 2 }) } }))),
      path,
      RELEASE_ROLE,
      { pathParameters },
    );
    expect((reply.json as { queues: { wakeups: unknown }[] }).queues[0]?.wakeups).toEqual({
      usualSize: 1,
      learned: [
        { used: 3, at: new Date(hourAgo - 3600_000).toISOString() },
        { used: 1, at: new Date(hourAgo).toISOString() },
      ],
    });
    expect(environmentStatusSchema.safeParse(reply.json).success).toBe(true);
  });

  it('shows no scaling decision or hold when the autoscaler has none', async () => {
    const ports = fakePorts({ scaling: { get: () => Promise.resolve(undefined) } });
    const reply = await callRoute(environmentStatusRoute(routeDeps(ports)), path, RELEASE_ROLE, { pathParameters });
    expect(reply.json).toMatchObject({ queues: [{ lastDecision: null, hold: null }] });
  });

  it('refuses an unknown environment with 404 and a caller off the read list with 403, before any AWS call', async () => {
    const ports = fakePorts();
    const route = environmentStatusRoute(routeDeps(ports));
    await expect(
      callRoute(route, '/environments/nowhere', RELEASE_ROLE, { pathParameters: { env: 'nowhere' } }),
    ).rejects.toMatchObject({ statusCode: 404 });
    await expect(callRoute(route, path, OUTSIDER, { pathParameters })).rejects.toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
    });
    expect(ports.services.describeServices).not.toHaveBeenCalled();
    expect(ports.releases.listForEnvironment).not.toHaveBeenCalled();
  });
});
