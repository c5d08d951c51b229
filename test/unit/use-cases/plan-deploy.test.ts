import { describe, expect, it } from 'vitest';
import { NoBuiltReleaseError, UnknownDeploymentTaskError } from '../../../src/use-cases/errors.js';
import { planDeploy } from '../../../src/use-cases/plan-deploy.js';
import { exampleEnvironment } from '../../support/example-config.js';
import { inMemoryWorld, REPOSITORY_URI } from '../../support/in-memory-ports.js';
import { builtRelease } from '../../support/release-fixtures.js';

const target = exampleEnvironment();
const T0 = new Date('2026-12-01T00:00:00Z');

function worldRunning(wsgiImage: string) {
  const world = inMemoryWorld({ now: T0 });
  world.aws.taskDefinitions.set('cgap-mastertest-wsgi', {
    arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-wsgi:3',
    revision: 3,
    containers: [{ name: 'app', image: wsgiImage }],
  });
  return world;
}

function expectNoWrites(world: ReturnType<typeof inMemoryWorld>, releasesBefore: string): void {
  expect(world.calls).toEqual({
    startBuild: [],
    updateService: [],
    startNativeDeployment: [],
    stopServiceDeployment: [],
    continueServiceDeployment: [],
    stopTask: [],
    runTask: [],
    setDesiredCount: [],
    registerTaskDefinition: [],
    notices: [],
    stuck: [],
  });
  expect(JSON.stringify([...world.state.releases])).toBe(releasesBefore);
  expect(world.state.current.size + world.state.locks.leases.size + world.state.claims.leases.size).toBe(0);
}

describe('planDeploy', () => {
  it('reads what runs and says what each component would change, writing nothing', async () => {
    const world = worldRunning(`${REPOSITORY_URI}@sha256:old`);
    const release = builtRelease(target.name, '1.6.0', T0);
    world.put(release);
    const before = JSON.stringify([...world.state.releases]);

    const plan = await planDeploy(world.ports('plan'), target, { version: '1.6.0' });

    expect(plan).toMatchObject({ environment: target.name, version: '1.6.0', releaseId: release.id, gates: [] });
    expect(plan.steps.map((step) => [step.kind, step.targets.map((t) => t.name)])).toEqual([
      ['services', ['wsgi', 'indexer', 'ingester']],
      ['task', ['deployment']],
    ]);
    const wsgi = plan.changes.find((change) => change.name === 'wsgi');
    expect(wsgi).toMatchObject({
      kind: 'service',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-wsgi:3',
      imageBefore: `${REPOSITORY_URI}@sha256:old`,
      imageAfter: `${REPOSITORY_URI}@${release.builds.wsgi?.digest ?? 'none'}`,
      changes: true,
    });
    expect(plan.changes.map((change) => change.name)).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expectNoWrites(world, before);
  });

  it('plans a named deployment task in place of the routine one', async () => {
    const world = worldRunning('x');
    world.put(builtRelease(target.name, '1.6.0', T0));
    const plan = await planDeploy(world.ports('plan'), target, { version: '1.6.0', task: 'initial-deployment' });
    expect(plan.changes.at(-1)).toMatchObject({ kind: 'task', name: 'initial-deployment' });
  });

  it('refuses an unknown task and a version with no built release, still writing nothing', async () => {
    const world = worldRunning('x');
    const before = JSON.stringify([...world.state.releases]);
    await expect(planDeploy(world.ports('plan'), target, { version: '1.6.0', task: 'nope' })).rejects.toBeInstanceOf(
      UnknownDeploymentTaskError,
    );
    await expect(planDeploy(world.ports('plan'), target, { version: '9.9.9' })).rejects.toBeInstanceOf(
      NoBuiltReleaseError,
    );
    expectNoWrites(world, before);
  });
});
