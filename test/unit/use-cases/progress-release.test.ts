import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConductorConfig } from '../../../src/config/load.js';
import { newRelease, type Release } from '../../../src/domain/release.js';
import { beginRollout, planRollout } from '../../../src/domain/rollout.js';
import { progressRelease } from '../../../src/use-cases/progress-release.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';

const config = parseConductorConfig(parse(readFileSync(new URL('../../../conductor.yml', import.meta.url), 'utf8')));
const ENVIRONMENT = 'cgap-mastertest';
const env = config.environments[ENVIRONMENT];
if (!env) throw new Error(`conductor.yml has no ${ENVIRONMENT}`);
const target = { name: ENVIRONMENT, env };
const started = new Date('2026-11-25T16:00:00Z');

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

/** The in-memory world with one release whose rollout has just begun. */
function fakeWorld(failOnce: string[], loseAnswerOnce: string[] = []) {
  const world = inMemoryWorld({ now: new Date(started.getTime() + 5_000), failOnce, loseAnswerOnce });
  const release = deployingRelease();
  world.put(release);
  return { ...world, release: () => world.release(release.id) as Release };
}

describe('progressRelease after a failed write', () => {
  it('finds the deployment an interrupted try made instead of rolling the service twice', async () => {
    // UpdateService of the first service (wsgi) went through, then the record of it failed.
    const world = fakeWorld(['indexDeployment']);
    await expect(progressRelease(world.ports('tick-1'), target, world.release().id)).rejects.toThrow(/injected/);
    await progressRelease(world.ports('tick-2'), target, world.release().id);

    expect(world.calls.updateService.map((call) => call.service).sort()).toEqual([
      'cgap-mastertest-indexer',
      'cgap-mastertest-ingester',
      'cgap-mastertest-wsgi',
    ]);
    const rolling = world.release().rollout?.services ?? {};
    expect(Object.values(rolling).map((service) => service.state)).toEqual(['UPDATING', 'UPDATING', 'UPDATING']);
    expect(new Set(Object.values(rolling).map((service) => service.deploymentId)).size).toBe(3);
    expect(world.state.claims.leases.size).toBe(3);
  });

  it('gives a failed RunTask’s claim back, so the next tick runs the task with the same client token', async () => {
    const world = fakeWorld(['runTask']);
    await progressRelease(world.ports('tick-1'), target, world.release().id);
    world.completeServiceDeployments();
    await expect(progressRelease(world.ports('tick-2'), target, world.release().id)).rejects.toThrow(/runTask failed/);
    expect(world.release().rollout?.tasks.deployment?.state ?? 'PENDING').toBe('PENDING');

    const { release: after } = await progressRelease(world.ports('tick-3'), target, world.release().id);

    expect(world.calls.runTask.map((request) => request.clientToken)).toEqual([
      `${world.release().id}-1-deployment`,
      `${world.release().id}-1-deployment`,
    ]);
    expect(after?.rollout?.tasks.deployment).toMatchObject({
      state: 'RUNNING',
      taskArn: expect.stringMatching(/-1-deployment$/) as unknown,
    });
  });

  it('runs the task again from the revision the interrupted try registered, so ECS sees the same RunTask', async () => {
    // RunTask went through, then the record of it failed. ECS answers a client token reused with
    // other parameters (a newly registered revision) with ConflictException.
    const world = fakeWorld(['record task deployment running']);
    await progressRelease(world.ports('tick-1'), target, world.release().id);
    world.completeServiceDeployments();
    await expect(progressRelease(world.ports('tick-2'), target, world.release().id)).rejects.toThrow(/injected/);
    await progressRelease(world.ports('tick-3'), target, world.release().id);

    const [first, retry] = world.calls.runTask;
    expect(retry).toEqual(first);
    expect(world.calls.registerTaskDefinition.filter((call) => call.source.includes('deployment'))).toHaveLength(1);
    expect(world.release().rollout?.tasks.deployment).toMatchObject({
      state: 'RUNNING',
      taskDefinitionArn: first?.taskDefinition,
    });
  });

  it('leaves a write another live invocation has claimed to it', async () => {
    const world = fakeWorld([]);
    await progressRelease(world.ports('tick-1'), target, world.release().id);
    world.completeServiceDeployments();
    world.state.claims.acquire(
      `${world.release().id}#1#runTask#deployment`,
      'event-handler-still-running',
      120,
      started,
    );

    await progressRelease(world.ports('tick-2'), target, world.release().id);

    expect(world.calls.runTask).toEqual([]);
  });

  it('leaves a service alone when the try that rolled it lost only the answer to its record, while another had decided to roll it too', async () => {
    // Two invocations (an event and reconcile's tick) decide the same step before either rolls a
    // service. The first rolls wsgi and records it, but the record's answer is lost, so it gives its
    // claim back; the second then holds a decision that predates the record.
    const world = fakeWorld([], ['record service wsgi rolling']);
    const signal = () => {
      const opener: { open?: () => void } = {};
      const opened = new Promise<void>((resolve) => {
        opener.open = resolve;
      });
      return { opened, open: () => opener.open?.() };
    };
    const secondDecided = signal();
    const firstFailed = signal();
    const waitingBeforeFirstClaim = (owner: string, before: Promise<void>, onWait?: () => void) => {
      const ports = world.ports(owner);
      let waited = false;
      return {
        ...ports,
        claims: {
          ...ports.claims,
          claim: async (...args: Parameters<typeof ports.claims.claim>) => {
            if (!waited) {
              waited = true;
              onWait?.();
              await before;
            }
            return ports.claims.claim(...args);
          },
        },
      };
    };
    const first = progressRelease(waitingBeforeFirstClaim('event', secondDecided.opened), target, world.release().id);
    const second = progressRelease(
      waitingBeforeFirstClaim('tick', firstFailed.opened, secondDecided.open),
      target,
      world.release().id,
    );
    await expect(first).rejects.toThrow(/answer lost/);
    firstFailed.open();
    await second;

    const wsgi = world.release().rollout?.services.wsgi;
    expect(world.calls.updateService.filter((call) => call.service === 'cgap-mastertest-wsgi')).toHaveLength(1);
    expect(world.aws.service('cgap-mastertest-wsgi').taskDefinitionArn).toBe(wsgi?.taskDefinitionArn);
    expect(world.calls.updateService.map((call) => call.service).sort()).toEqual([
      'cgap-mastertest-indexer',
      'cgap-mastertest-ingester',
      'cgap-mastertest-wsgi',
    ]);
  });
});
