import { describe, expect, it } from 'vitest';
import { adoptEnvironment } from '../../../src/use-cases/adopt-environment.js';
import { reconcileEnvironment } from '../../../src/use-cases/reconcile-environment.js';
import { NotAdoptableError } from '../../../src/use-cases/errors.js';
import { rollBack } from '../../../src/use-cases/roll-back.js';
import { advanceRollout } from '../../../src/use-cases/roll-out.js';
import { RolloutConflictError } from '../../../src/use-cases/start-rollout.js';
import { inMemoryWorld, REPOSITORY_URI, type InMemoryWorld } from '../../support/in-memory-ports.js';
import { completedRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const ENV = 'cgap-mastertest';
const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';
const digest = (name: string) => `sha256:${Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64)}`;
const FAMILIES = {
  wsgi: 'cgap-mastertest-wsgi',
  indexer: 'cgap-mastertest-indexer',
  ingester: 'cgap-mastertest-ingester',
  deployment: 'cgap-mastertest-deployment',
};

/**
 * An environment the conductor never rolled out: the services run task definitions registered by
 * someone else, wsgi by digest and the others by tag (their tags in ECR), as 4dn-cloud-infra leaves them.
 */
function existingEnvironment(): InMemoryWorld {
  const world = inMemoryWorld({ now: T0 });
  for (const [entrypoint, family] of Object.entries(FAMILIES)) {
    const image =
      entrypoint === 'wsgi' ? `${REPOSITORY_URI}@${digest('wsgi')}` : `${REPOSITORY_URI}:latest-${entrypoint}`;
    world.aws.images.set(`cgap-mastertest:latest-${entrypoint}`, digest(entrypoint));
    world.aws.taskDefinitions.set(family, {
      arn: `${ACCOUNT}:task-definition/${family}:7`,
      revision: 7,
      containers: [{ name: 'app', image }],
    });
  }
  return world;
}

const adopt = (world: InMemoryWorld, requestId = 'req-1') =>
  adoptEnvironment(world.ports('api'), named(ENV), { triggeredBy: 'arn:aws:iam::123456789012:role/ops', requestId });

describe('adoptEnvironment', () => {
  it('refuses an environment whose build project would not apply docker/, recording nothing', async () => {
    const world = existingEnvironment();
    // 4dn-cloud-infra's project: cgap-portal from GitHub with cgap-portal's own buildspec.
    world.behaviour.buildProject = { name: ENV, sourceType: 'GITHUB', buildspec: '' };

    const refused = adopt(world);

    await expect(refused).rejects.toMatchObject({
      name: 'NotAdoptableError',
      component: 'codebuild.project',
      message: expect.stringMatching(
        /builds its GITHUB source with that source's own buildspec.yml, so docker\/ would never be applied/,
      ) as unknown,
    });
    expect(world.state.releases.size).toBe(0);
  });

  it('records what runs (digests as given or resolved from tags) as the current, completed release, writing nothing to ECS', async () => {
    const world = existingEnvironment();

    const { release, recordedNow, current } = await adopt(world);

    expect(recordedNow).toBe(true);
    expect(release).toMatchObject({ state: 'COMPLETED', triggeredBy: 'arn:aws:iam::123456789012:role/ops' });
    expect(release.version).toMatch(/^adopted-[0-9a-f]{12}$/);
    expect(Object.fromEntries(Object.entries(release.builds).map(([key, build]) => [key, build.digest]))).toEqual({
      wsgi: digest('wsgi'),
      indexer: digest('indexer'),
      ingester: digest('ingester'),
      deployment: digest('deployment'),
    });
    expect(release.adopted?.taskDefinitions['deploymentTasks.deployment']).toBe(
      `${ACCOUNT}:task-definition/cgap-mastertest-deployment:7`,
    );
    expect(world.release(release.id)?.state).toBe('COMPLETED');
    expect(world.state.current.get(ENV)).toEqual(current);
    // ECS shows no run of the routine task: its last run is unknown, not "at adoption".
    expect(current).toEqual({ releaseId: release.id, since: T0.toISOString(), deploymentTaskRunAt: null });
    expect([world.calls.updateService, world.calls.runTask, world.calls.setDesiredCount]).toEqual([[], [], []]);
    expect(world.state.locks.leases.has(ENV)).toBe(false);
  });

  it('is harmless to repeat: the same state gives the same release and no second one', async () => {
    const world = existingEnvironment();
    const first = await adopt(world, 'req-1');
    world.advance(60_000);

    const again = await adopt(world, 'req-2');

    expect(again.recordedNow).toBe(false);
    expect(again.release.id).toBe(first.release.id);
    expect(world.state.current.get(ENV)).toEqual(first.current);
    expect([...world.state.releases.keys()]).toEqual([first.release.id]);
  });

  it('starts the routine-redeploy clock from the newest deployment-task run ECS still shows', async () => {
    const world = existingEnvironment();
    const task = (id: string, startedAt?: string, createdAt?: string) =>
      world.aws.tasks.set(`${ACCOUNT}:task/${ENV}/${id}`, {
        ...{ taskArn: `${ACCOUNT}:task/${ENV}/${id}`, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', containers: [] },
        taskDefinitionArn: `${ACCOUNT}:task-definition/cgap-mastertest-deployment:6`,
        ...(startedAt ? { startedAt: new Date(startedAt) } : {}),
        ...(createdAt ? { createdAt: new Date(createdAt) } : {}),
      });
    task('old', '2026-10-01T10:00:00Z');
    task('newest', '2026-11-20T08:00:00Z');
    task('never-started', undefined, '2026-11-02T09:00:00Z');
    world.aws.tasks.set(`${ACCOUNT}:task/${ENV}/other`, {
      ...{ taskArn: `${ACCOUNT}:task/${ENV}/other`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', containers: [] },
      taskDefinitionArn: `${ACCOUNT}:task-definition/cgap-mastertest-wsgi:7`,
      startedAt: new Date('2026-11-25T15:00:00Z'),
    });

    const { current } = await adopt(world);

    expect(current.deploymentTaskRunAt).toBe('2026-11-20T08:00:00.000Z');
  });

  it('makes the routine re-run due within the hour when ECS shows no run of it (rotation never slips an interval)', async () => {
    const world = existingEnvironment();
    await adopt(world);
    // Within the hour the operator's first deploy runs the task; nothing races it.
    world.advance(59 * 60_000);
    expect((await reconcileEnvironment(world.ports('tick'), named(ENV), 'tick-1')).started).toBeUndefined();
    world.advance(60_000);

    const report = await reconcileEnvironment(world.ports('tick'), named(ENV), 'tick-2');

    expect(report.started).toMatchObject({ kind: 'rerun' });
    // One run of the routine task, at the adopted digest (a new revision pinning it).
    expect(world.calls.runTask.map((call) => call.taskDefinition)).toEqual([
      expect.stringMatching(/:task-definition\/cgap-mastertest-deployment:\d+$/),
    ]);
  });

  it('leaves the routine re-run a full interval away when ECS shows a recent run', async () => {
    const world = existingEnvironment();
    world.aws.tasks.set(`${ACCOUNT}:task/${ENV}/recent`, {
      ...{ taskArn: `${ACCOUNT}:task/${ENV}/recent`, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', containers: [] },
      taskDefinitionArn: `${ACCOUNT}:task-definition/cgap-mastertest-deployment:7`,
      startedAt: new Date(T0.getTime() - 600_000),
    });
    await adopt(world);
    world.advance(2 * 3_600_000);

    const report = await reconcileEnvironment(world.ports('tick'), named(ENV), 'tick-1');

    expect(report.started).toBeUndefined();
    expect(world.calls.runTask).toEqual([]);
  });

  it('is refused while a rollout holds the environment, recording nothing', async () => {
    const world = existingEnvironment();
    world.state.locks.acquire(ENV, 'rel-busy@req', 600, T0);

    await expect(adopt(world)).rejects.toEqual(new RolloutConflictError(ENV, 'rel-busy'));
    expect(world.state.releases.size).toBe(0);
    expect(world.state.current.has(ENV)).toBe(false);
  });

  it('holds the lock while it records: reconcile neither frees it nor starts a rollout under it', async () => {
    const world = existingEnvironment();
    world.state.locks.acquire(ENV, 'adopt@req-1', 120, T0);
    world.state.current.set(ENV, {
      releaseId: 'rel-x',
      since: '2026-01-01T00:00:00Z',
      deploymentTaskRunAt: '2026-01-01T00:00:00Z',
    });

    const report = await reconcileEnvironment(world.ports('tick'), named(ENV), 'tick-1');

    expect(report.freedLockOf).toBeUndefined();
    expect(report.started).toBeUndefined();
    expect(world.state.locks.leases.get(ENV)?.owner).toBe('adopt@req-1');
  });

  it('refuses, naming the service, an image whose tag ECR does not have', async () => {
    const world = existingEnvironment();
    world.aws.images.delete('cgap-mastertest:latest-indexer');

    const refused = adopt(world);

    await expect(refused).rejects.toBeInstanceOf(NotAdoptableError);
    await expect(refused).rejects.toMatchObject({ component: 'services.indexer' });
    expect(world.state.releases.size).toBe(0);
  });

  it('gives rollback a target: a release deployed after adopting rolls back to the adopted digests', async () => {
    const world = existingEnvironment();
    const { release: baseline } = await adopt(world);
    world.advance(60_000);
    const deployed = completedRelease(ENV, '1.4.0', new Date(T0.getTime() + 60_000));
    world.put(deployed);
    world.state.current.set(ENV, {
      releaseId: deployed.id,
      since: deployed.createdAt,
      deploymentTaskRunAt: T0.toISOString(),
    });

    // ECS here still runs the baseline's images (no rollout ran): name the release to roll back from.
    const { release: rolling } = await rollBack(world.ports('api'), named(ENV), {
      fromReleaseId: deployed.id,
      triggeredBy: 'ops',
      requestId: 'rb',
    });

    expect(rolling.id).toBe(baseline.id);
    expect(rolling.rollout).toMatchObject({ kind: 'rollback', rollingBackFrom: deployed.id });

    // The rollback pins each service's configured container to the adopted digest.
    await advanceRollout(world.ports('api'), named(ENV), rolling.id);
    expect(world.calls.registerTaskDefinition.map((call) => call.images)).toEqual(
      ['wsgi', 'indexer', 'ingester'].map((entrypoint) => ({ app: `${REPOSITORY_URI}@${digest(entrypoint)}` })),
    );
    expect(world.calls.updateService.map((call) => call.service)).toEqual(Object.values(FAMILIES).slice(0, 3));
  });
});
