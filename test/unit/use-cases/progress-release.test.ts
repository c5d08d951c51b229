import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunTaskRequest, ServiceDeployment, ServiceState } from '../../../src/domain/ecs-state.js';
import { parseConductorConfig } from '../../../src/config/load.js';
import { newRelease, type Release } from '../../../src/domain/release.js';
import { beginRollout, planRollout } from '../../../src/domain/rollout.js';
import { progressRelease, type RolloutPorts } from '../../../src/use-cases/progress-release.js';

const config = parseConductorConfig(parse(readFileSync(new URL('../../../conductor.yml', import.meta.url), 'utf8')));
const ENVIRONMENT = 'cgap-mastertest';
const env = config.environments[ENVIRONMENT];
if (!env) throw new Error(`conductor.yml has no ${ENVIRONMENT}`);
const started = new Date('2026-11-25T16:00:00Z');
const SEED_DEPLOYED = new Date('2026-11-01T00:00:00Z');
const REVISION = (family: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:2`;

/** A built release whose rollout has just begun (services first, then the deployment task). */
function deployingRelease(): Release {
  const entrypoints = env?.entrypoints.map((entrypoint) => entrypoint.name) ?? [];
  const release = newRelease(
    {
      environment: ENVIRONMENT,
      version: '5.0.0',
      sourceDigest: 'sha256:source',
      imageTags: Object.fromEntries(entrypoints.map((name) => [name, `5.0.0-${name}`])),
      triggeredBy: 'test',
    },
    started,
  );
  const builds = Object.fromEntries(
    Object.entries(release.builds).map(([name, build]) => [
      name,
      { ...build, status: 'SUCCEEDED' as const, digest: `sha256:${name}` },
    ]),
  );
  const steps = planRollout(env as NonNullable<typeof env>, { kind: 'deploy' });
  return beginRollout(
    { ...release, builds, state: 'BUILT' },
    steps,
    { kind: 'deploy', triggeredBy: 'test', lockOwner: 'test' },
    started,
  );
}

/**
 * ECS, the release store and its claims in memory. `failures` names calls that throw once (as a
 * throttled or dropped AWS call does); the claims hold their owner as the state table's leases do.
 */
function fakeWorld(failures: string[]) {
  const pending = [...failures];
  const failOnce = (call: string) => {
    const index = pending.indexOf(call);
    if (index >= 0) {
      pending.splice(index, 1);
      throw new Error(`${call} failed (injected)`);
    }
  };
  let release = deployingRelease();
  const claims = new Map<string, string>();
  const services = new Map<string, ServiceState>();
  const calls = { updateService: [] as string[], runTask: [] as RunTaskRequest[] };
  let deployments = 0;
  const serviceNamed = (name: string): ServiceState => {
    const known = services.get(name);
    if (known) return known;
    const family = name;
    const seeded: ServiceState = {
      name,
      arn: `arn:service/${name}`,
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:1`,
      deployments: [
        {
          id: `ecs-svc/seed-${name}`,
          status: 'PRIMARY',
          rolloutState: 'COMPLETED',
          taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:1`,
          desiredCount: 1,
          runningCount: 1,
          pendingCount: 0,
          createdAt: SEED_DEPLOYED,
        },
      ],
    };
    services.set(name, seeded);
    return seeded;
  };
  const ports = (owner: string): RolloutPorts => ({
    owner,
    now: () => new Date(started.getTime() + 5_000),
    repositoryUri: () => Promise.resolve('123456789012.dkr.ecr.us-east-1.amazonaws.com/cgap-mastertest'),
    onRolloutEnded: () => Promise.resolve(),
    releases: {
      get: (id) => Promise.resolve(id === release.id ? { release, version: 1 } : undefined),
      update: (_id, change) => {
        release = change(release);
        return Promise.resolve(release);
      },
      claimAction: (_id, action, claimer) => {
        const holder = claims.get(action);
        if (holder !== undefined && holder !== claimer) return Promise.resolve(false);
        claims.set(action, claimer);
        return Promise.resolve(true);
      },
      releaseActionClaim: (_id, action, claimer) => {
        if (claims.get(action) !== claimer) return Promise.resolve(false);
        claims.delete(action);
        return Promise.resolve(true);
      },
      indexDeployment: () => {
        failOnce('indexDeployment');
        return Promise.resolve();
      },
    },
    ecs: {
      describeServices: (_cluster, names) => Promise.resolve({ services: names.map(serviceNamed), missing: [] }),
      describeTaskDefinition: (family) =>
        Promise.resolve({
          arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:1`,
          family,
          revision: 1,
          containers: [],
        }),
      registerTaskDefinitionWithImages: (source) =>
        Promise.resolve(REVISION(source.split('/').pop()?.split(':')[0] ?? '')),
      updateServiceTaskDefinition: (_cluster, name, revision) => {
        calls.updateService.push(name);
        deployments += 1;
        const deployment: ServiceDeployment = {
          id: `ecs-svc/${String(deployments)}`,
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          taskDefinitionArn: revision,
          desiredCount: 1,
          runningCount: 0,
          pendingCount: 1,
          createdAt: new Date(started.getTime() + 1_000),
        };
        const updated = { ...serviceNamed(name), taskDefinitionArn: revision, deployments: [deployment] };
        services.set(name, updated);
        failOnce(`updateService ${name}`);
        return Promise.resolve(updated);
      },
      runTask: (request) => {
        calls.runTask.push(request);
        failOnce('runTask');
        return Promise.resolve(`arn:aws:ecs:us-east-1:123456789012:task/cgap-mastertest/${request.clientToken}`);
      },
      describeTasks: () => Promise.resolve([]),
    },
  });
  const completeServiceDeployments = () => {
    for (const [name, service] of services) {
      services.set(name, {
        ...service,
        deployments: service.deployments.map((deployment) => ({
          ...deployment,
          rolloutState: 'COMPLETED',
          runningCount: 1,
          pendingCount: 0,
        })),
      });
    }
  };
  return { ports, calls, claims, release: () => release, completeServiceDeployments };
}

describe('progressRelease after a failed write', () => {
  it('finds the deployment an interrupted try made instead of rolling the service twice', async () => {
    // UpdateService of the first service (wsgi) went through, then the record of it failed.
    const world = fakeWorld(['indexDeployment']);
    await expect(progressRelease(world.ports('tick-1'), config, world.release().id)).rejects.toThrow(/injected/);
    await progressRelease(world.ports('tick-2'), config, world.release().id);

    expect([...world.calls.updateService].sort()).toEqual([
      'cgap-mastertest-indexer',
      'cgap-mastertest-ingester',
      'cgap-mastertest-wsgi',
    ]);
    const rolling = world.release().rollout?.services ?? {};
    expect(Object.values(rolling).map((service) => service.state)).toEqual(['UPDATING', 'UPDATING', 'UPDATING']);
    expect(new Set(Object.values(rolling).map((service) => service.deploymentId)).size).toBe(3);
    expect(world.claims.size).toBe(3);
  });

  it('gives a failed RunTask’s claim back, so the next tick runs the task with the same client token', async () => {
    const world = fakeWorld(['runTask']);
    await progressRelease(world.ports('tick-1'), config, world.release().id);
    world.completeServiceDeployments();
    await expect(progressRelease(world.ports('tick-2'), config, world.release().id)).rejects.toThrow(/runTask failed/);
    expect(world.release().rollout?.tasks.deployment?.state ?? 'PENDING').toBe('PENDING');

    const after = await progressRelease(world.ports('tick-3'), config, world.release().id);

    expect(world.calls.runTask.map((request) => request.clientToken)).toEqual([
      `${world.release().id}-1-deployment`,
      `${world.release().id}-1-deployment`,
    ]);
    expect(after?.rollout?.tasks.deployment).toMatchObject({
      state: 'RUNNING',
      taskArn: expect.stringMatching(/-1-deployment$/) as unknown,
    });
  });

  it('leaves a write another live invocation has claimed to it', async () => {
    const world = fakeWorld([]);
    await progressRelease(world.ports('tick-1'), config, world.release().id);
    world.completeServiceDeployments();
    world.claims.set('1#runTask#deployment', 'event-handler-still-running');

    await progressRelease(world.ports('tick-2'), config, world.release().id);

    expect(world.calls.runTask).toEqual([]);
  });
});
