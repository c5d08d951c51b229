import { describe, expect, it } from 'vitest';
import { reconcileEnvironment } from '../../../src/use-cases/reconcile-environment.js';
import { startReleaseBuilds } from '../../../src/use-cases/start-release-builds.js';
import { startRollout } from '../../../src/use-cases/start-rollout.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, completedRelease, environment, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const MASTERTEST = 'cgap-mastertest';
const reconcile = (world: ReturnType<typeof inMemoryWorld>, environmentName = MASTERTEST) =>
  reconcileEnvironment(world.ports('tick'), named(environmentName), 'tick-1');

describe('reconcileEnvironment', () => {
  it("moves the lock holder's rollout on from what ECS says now", async () => {
    const world = inMemoryWorld({ now: T0 });
    const release = builtRelease(MASTERTEST, '1.4.0', T0);
    world.put(release);
    await startRollout(world.ports('api'), named(MASTERTEST), {
      releaseId: release.id,
      kind: 'deploy',
      triggeredBy: 'a',
      requestId: 'r',
    });
    await reconcile(world);
    expect(world.calls.updateService.map((call) => call.service).sort()).toEqual([
      'cgap-mastertest-indexer',
      'cgap-mastertest-ingester',
      'cgap-mastertest-wsgi',
    ]);

    world.completeServiceDeployments();
    const report = await reconcile(world);

    expect(report.progressed).toEqual({ releaseId: release.id, state: 'DEPLOYING' });
    expect(world.calls.runTask).toHaveLength(1);
    expect(world.release(release.id)?.rollout?.tasks.deployment?.state).toBe('RUNNING');
    expect(report.started).toBeUndefined();
  });

  it('frees a lock its holder left after completing, and records the release the environment now runs', async () => {
    const world = inMemoryWorld({ now: T0 });
    const release = completedRelease(MASTERTEST, '1.4.0', T0);
    world.put(release);
    world.state.locks.acquire(MASTERTEST, `${release.id}@crashed`, 600, T0);

    const report = await reconcile(world);

    expect(report.freedLockOf).toBe(release.id);
    expect(world.state.locks.leases.has(MASTERTEST)).toBe(false);
    expect(world.state.current.get(MASTERTEST)?.releaseId).toBe(release.id);
  });

  it("finishes a FAILED holder's end once after its holder crashed: the notice, then the automatic rollback", async () => {
    const PROD = 'cgap-prod';
    const world = inMemoryWorld({ now: T0 });
    const ran = completedRelease(PROD, '1.4.0', T0);
    world.put(ran);
    world.state.current.set(PROD, {
      releaseId: ran.id,
      since: T0.toISOString(),
      deploymentTaskRunAt: T0.toISOString(),
    });
    const done = completedRelease(PROD, '1.5.0', new Date(T0.getTime() + 60_000));
    const failed = {
      ...done,
      state: 'FAILED' as const,
      completedAt: undefined,
      failure: { kind: 'task' as const, step: 'task deployment', reason: 'container app exited with code 3' },
    };
    world.put(failed);
    world.state.locks.acquire(PROD, `${failed.id}@test`, 600, T0);

    const first = await reconcile(world, PROD);
    const second = await reconcile(world, PROD);

    expect(first.freedLockOf).toBe(failed.id);
    expect(world.calls.notices.filter((notice) => notice.event === 'failed')).toEqual([
      { releaseId: failed.id, event: 'failed' },
    ]);
    expect(world.release(ran.id)?.rollout).toMatchObject({ kind: 'rollback', rollingBackFrom: failed.id });
    expect(second.freedLockOf).toBeUndefined();
  });

  it('records builds whose events were lost, then auto-deploys the built SHA at the next tick', async () => {
    const world = inMemoryWorld({ now: T0 });
    const env = environment(MASTERTEST);
    const request = {
      environment: MASTERTEST,
      version: 'abc1234',
      sourceDigest: `sha256:${'b'.repeat(64)}`,
      triggeredBy: 't',
    };
    const { release } = await startReleaseBuilds(world.ports('push'), env, request);
    for (const [entrypoint, build] of Object.entries(release.builds)) {
      world.aws.builds.set(build.buildId ?? '', { status: 'SUCCEEDED' });
      world.aws.images.set(`${env.repository}:${build.imageTag}`, `sha256:${entrypoint.padEnd(64, '0')}`);
    }

    const recorded = await reconcile(world);
    // The tick lists releases before it records builds: the release built in it goes out at the next.
    const next = await reconcile(world);

    expect(recorded.buildsRecorded).toHaveLength(4);
    expect(world.release(release.id)?.builds.wsgi?.digest).toBe(`sha256:${'wsgi'.padEnd(64, '0')}`);
    expect(next.started).toEqual({ releaseId: release.id, kind: 'deploy' });
    expect(world.release(release.id)?.rollout).toMatchObject({ kind: 'deploy', triggeredBy: 'auto-deploy' });
  });

  it("ends every build of a failed release with CodeBuild's real state, the failure kept", async () => {
    const world = inMemoryWorld({ now: T0 });
    const env = environment(MASTERTEST);
    const request = { environment: MASTERTEST, version: '1.4.0', sourceDigest: `sha256:${'d'.repeat(64)}` };
    const { release } = await startReleaseBuilds(world.ports('push'), env, { ...request, triggeredBy: 't' });
    const buildOf = (entrypoint: string) => release.builds[entrypoint]?.buildId ?? '';
    world.aws.builds.set(buildOf('indexer'), { status: 'FAILED', failedPhase: 'BUILD' });
    await reconcile(world);
    expect(world.release(release.id)?.state).toBe('FAILED');

    // CodeBuild finishes the others after the release failed: one more fails, the rest succeed.
    world.aws.builds.set(buildOf('wsgi'), { status: 'STOPPED' });
    for (const entrypoint of ['ingester', 'deployment']) {
      world.aws.builds.set(buildOf(entrypoint), { status: 'SUCCEEDED' });
      world.aws.images.set(`${env.repository}:1.4.0-${entrypoint}`, `sha256:${entrypoint.padEnd(64, '0')}`);
    }
    const report = await reconcile(world);

    const ended = world.release(release.id);
    expect(report.buildsRecorded.sort()).toEqual([buildOf('deployment'), buildOf('ingester'), buildOf('wsgi')].sort());
    expect(
      Object.fromEntries(Object.entries(ended?.builds ?? {}).map(([name, build]) => [name, build.status])),
    ).toEqual({ wsgi: 'STOPPED', indexer: 'FAILED', ingester: 'SUCCEEDED', deployment: 'SUCCEEDED' });
    expect(ended).toMatchObject({ state: 'FAILED', failure: { step: 'build indexer', phase: 'BUILD' } });
    expect((await reconcile(world)).buildsRecorded).toEqual([]);
  });

  it('resumes builds their starter claimed and never started, once the claim has lapsed', async () => {
    const world = inMemoryWorld({ now: T0, failOnce: ['startBuild'] });
    const env = environment(MASTERTEST);
    const request = {
      environment: MASTERTEST,
      version: '1.4.0',
      sourceDigest: `sha256:${'c'.repeat(64)}`,
      triggeredBy: 't',
    };
    await expect(startReleaseBuilds(world.ports('push'), env, request)).rejects.toThrow(/injected/);

    expect((await reconcile(world)).buildsResumed).toBeUndefined();
    world.advance(151_000);
    const report = await reconcile(world);

    expect(report.buildsResumed).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expect(world.calls.startBuild).toHaveLength(4);
  });

  it('re-runs the routine deployment task when it is due, and not while a rollout holds the environment', async () => {
    const world = inMemoryWorld({ now: T0 });
    const release = completedRelease(MASTERTEST, '1.4.0', T0);
    world.put(release);
    const ranAt = new Date(T0.getTime() - 81 * 86_400_000).toISOString();
    world.state.current.set(MASTERTEST, { releaseId: release.id, since: ranAt, deploymentTaskRunAt: ranAt });
    world.state.locks.acquire(MASTERTEST, 'rel-other@r', 600, T0);
    world.put({ ...builtRelease(MASTERTEST, '1.5.0', T0), id: 'rel-other', state: 'DEPLOYING' });

    expect((await reconcile(world)).started).toBeUndefined();
    world.state.locks.release(MASTERTEST, 'rel-other@r');
    const report = await reconcile(world);

    expect(report.started).toEqual({ releaseId: release.id, kind: 'rerun' });
    expect(world.release(release.id)?.rollout).toMatchObject({
      kind: 'rerun',
      steps: [{ kind: 'task', task: 'deployment' }],
    });
  });

  it('reports, without throwing, a due re-run whose current release does not exist', async () => {
    const world = inMemoryWorld({ now: T0 });
    const ranAt = new Date(T0.getTime() - 81 * 86_400_000).toISOString();
    world.state.current.set(MASTERTEST, { releaseId: 'rel-gone', since: ranAt, deploymentTaskRunAt: ranAt });

    const report = await reconcile(world);

    expect(report.rerunSkipped).toBe('the current release rel-gone does not exist: deploy or adopt to record one');
    expect(report.started).toBeUndefined();
    expect(world.calls.runTask).toHaveLength(0);
  });
});
