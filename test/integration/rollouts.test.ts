import { emulatorEndpoint } from '../support/aws-env.js';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Release } from '../../src/domain/release.js';
import {
  ENVIRONMENT,
  REPOSITORY_URI,
  SERVICES,
  startConductorHarness,
  taskStoppedEvent,
  type ConductorHarness,
} from '../support/conductor-harness.js';
import { setTaskProgression } from '../../scripts/lib/emulator.js';

const ecs = new ECSClient({ endpoint: emulatorEndpoint });
let harness: ConductorHarness;
let versions = 0;

/** moto moves a task one state per read; `times` reads per state hold it RUNNING as long as a test needs. */
const holdTasks = (readsPerState: number) =>
  setTaskProgression(emulatorEndpoint, { progression: 'manual', times: readsPerState });

const nextVersion = () => `4.${String(process.pid % 1000)}.${String((versions += 1))}`;

async function serviceImages(): Promise<Record<string, string>> {
  const { services = [] } = await ecs.send(
    new DescribeServicesCommand({ cluster: ENVIRONMENT, services: Object.values(SERVICES) }),
  );
  const images: Record<string, string> = {};
  for (const service of services) {
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }),
    );
    images[service.serviceName ?? ''] =
      taskDefinition?.containerDefinitions?.find((container) => container.name === 'app')?.image ?? '';
  }
  return images;
}

function expectedImages(release: Release): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SERVICES).map(([key, name]) => [name, `${REPOSITORY_URI}@${release.builds[key]?.digest ?? '?'}`]),
  );
}

/** What the deploy reply's plan says: the services together at their images, then the task once they are done. */
function planOf(release: Release) {
  const at = (name: string) => {
    const build = release.builds[name];
    return { name, entrypoint: name, imageTag: build?.imageTag, digest: build?.digest };
  };
  return [
    { kind: 'services', waitsForPrevious: false, targets: Object.keys(SERVICES).map(at) },
    { kind: 'task', waitsForPrevious: true, targets: [at('deployment')] },
  ];
}

async function deployToTaskStep(version?: string): Promise<Release> {
  const built = await harness.builtRelease(version ?? nextVersion());
  const response = await harness.post(`/environments/${ENVIRONMENT}/deployments`, { version: built.version });
  expect(response.statusCode).toBe(202);
  expect(response.json.plan).toEqual(planOf(built));
  return harness.release(built.id);
}

async function finishTask(release: Release, exitCode = 0): Promise<Release> {
  const taskArn = release.rollout?.tasks.deployment?.taskArn ?? '';
  await harness.onTaskStateChange(taskStoppedEvent(taskArn, release.id, [{ name: 'app', exitCode }]));
  return harness.release(release.id);
}

async function deployed(): Promise<Release> {
  const completed = await finishTask(await deployToTaskStep());
  expect(completed.state).toBe('COMPLETED');
  return completed;
}

beforeAll(async () => {
  harness = await startConductorHarness();
  await holdTasks(1000);
}, 60_000);

afterAll(async () => {
  await setTaskProgression(emulatorEndpoint, undefined);
  await harness.close();
});

beforeEach(() => {
  harness.proxy.calls.length = 0;
});

describe('a rollout driven by events', () => {
  it('rolls the services to digest-pinned revisions, then runs the deployment task with the configured network', async () => {
    const release = await deployToTaskStep();

    expect(release.state).toBe('DEPLOYING');
    expect(release.rollout?.stepIndex).toBe(1);
    expect(await serviceImages()).toEqual(expectedImages(release));
    const [runTask] = harness.proxy.bodiesOf('RunTask');
    expect(runTask).toMatchObject({
      cluster: ENVIRONMENT,
      launchType: 'FARGATE',
      count: 1,
      startedBy: `ecs-conductor/${release.id}`,
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-ebd96fe8eaa249657', 'subnet-fdf3a11f590d757dc'],
          securityGroups: ['sg-0c338fa11c826a85c', 'sg-6558cc2ccbc958afe'],
          assignPublicIp: 'DISABLED',
        },
      },
    });
    expect(String(runTask?.clientToken)).toMatch(new RegExp(`^${release.id}-1-deployment$`));
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: String(runTask?.taskDefinition) }),
    );
    expect(taskDefinition?.family).toBe('cgap-mastertest-deployment');
    expect(taskDefinition?.containerDefinitions?.[0]?.image).toBe(
      `${REPOSITORY_URI}@${release.builds.deployment?.digest ?? '?'}`,
    );

    const completed = await finishTask(release);
    expect(completed.state).toBe('COMPLETED');
    expect(completed.timeline.map((entry) => entry.step)).toEqual(
      expect.arrayContaining([
        'deploy started',
        'services wsgi, indexer, ingester done',
        'task deployment running',
        'task deployment done',
        'release completed',
      ]),
    );
    expect((await harness.get(`/environments/${ENVIRONMENT}/releases?limit=1`)).json).toMatchObject({
      releases: [{ id: release.id, state: 'COMPLETED' }],
    });
  });

  it('fails the release when the deployment task exits non-zero', async () => {
    const failed = await finishTask(await deployToTaskStep(), 3);
    expect(failed.state).toBe('FAILED');
    expect(failed.failure).toMatchObject({
      step: 'task deployment',
      reason: 'task deployment: container app exited with code 3',
    });
  });

  it('fails the release when the deployment task failed to start (no exit code)', async () => {
    const release = await deployToTaskStep();
    const taskArn = release.rollout?.tasks.deployment?.taskArn ?? '';
    await harness.onTaskStateChange(taskStoppedEvent(taskArn, release.id, [{ name: 'app' }], 'TaskFailedToStart'));
    const failed = await harness.release(release.id);
    expect(failed.state).toBe('FAILED');
    expect(failed.failure?.reason).toMatch(
      /^task deployment: task stopped without an exit code: CannotPullContainerError/,
    );
  });

  it('ignores a STOPPED event of a task the conductor did not start', async () => {
    const release = await deployToTaskStep();
    await harness.onTaskStateChange(
      taskStoppedEvent('arn:aws:ecs:us-east-1:123456789012:task/cgap-mastertest/other', release.id, [
        { name: 'app', exitCode: 1 },
      ]),
    );
    expect((await harness.release(release.id)).state).toBe('DEPLOYING');
    expect((await finishTask(release)).state).toBe('COMPLETED');
  });
});

describe('one rollout per environment', () => {
  it('gives 10 concurrent deploy requests one rollout and 409s naming it', async () => {
    const built = await harness.builtRelease(nextVersion());
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        harness.post(`/environments/${ENVIRONMENT}/deployments`, { version: built.version }),
      ),
    );
    const accepted = responses.filter((response) => response.statusCode === 202);
    const conflicts = responses.filter((response) => response.statusCode === 409);
    expect(accepted).toHaveLength(1);
    expect(conflicts).toHaveLength(9);
    for (const conflict of conflicts) {
      expect(conflict.json).toMatchObject({
        error: { code: 'CONFLICT', details: [{ path: 'environment', message: `active release ${built.id}` }] },
      });
    }
    expect(harness.proxy.bodiesOf('RunTask')).toHaveLength(1);
    expect((await finishTask(await harness.release(built.id))).state).toBe('COMPLETED');
  });
});

describe('rollback', () => {
  it('restores the previous completed release digests exactly and marks the newer release rolled back', async () => {
    const previous = await deployed();
    const newer = await deployed();
    expect(await serviceImages()).toEqual(expectedImages(newer));

    const response = await harness.post(`/environments/${ENVIRONMENT}/rollback`, {});
    expect(response.statusCode).toBe(202);
    expect(response.json).toMatchObject({
      id: previous.id,
      rollout: { kind: 'rollback', rollingBackFrom: newer.id },
      rolledBackFrom: { releaseId: newer.id, version: newer.version },
      summary: `rolling back from ${newer.version} (${newer.id}) to ${previous.version} (${previous.id})`,
      plan: planOf(previous),
    });
    expect(await serviceImages()).toEqual(expectedImages(previous));

    await finishTask(await harness.release(previous.id));
    expect((await harness.release(previous.id)).state).toBe('COMPLETED');
    expect((await harness.release(newer.id)).state).toBe('ROLLED_BACK');
  });
});

describe('destructive deployment tasks', () => {
  it('refuses the initial deployment without a confirmation naming the environment, and starts nothing', async () => {
    const built = await harness.builtRelease(nextVersion());
    harness.proxy.calls.length = 0;
    const refused = await harness.post(`/environments/${ENVIRONMENT}/deployments`, {
      version: built.version,
      task: 'initial-deployment',
      confirm: 'cgap-prod',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json).toMatchObject({
      error: { code: 'CONFIRMATION_REQUIRED', details: [{ path: 'body.confirm' }] },
    });
    expect(
      harness.proxy.calls.filter((call) => /UpdateService|RunTask|RegisterTaskDefinition/.test(call.target)),
    ).toHaveLength(0);

    const confirmed = await harness.post(`/environments/${ENVIRONMENT}/deployments`, {
      version: built.version,
      task: 'initial-deployment',
      confirm: ENVIRONMENT,
    });
    expect(confirmed.statusCode).toBe(202);
    const release = await harness.release(built.id);
    expect(Object.keys(release.rollout?.tasks ?? {})).toEqual(['initial-deployment']);
    const taskArn = release.rollout?.tasks['initial-deployment']?.taskArn ?? '';
    await harness.onTaskStateChange(taskStoppedEvent(taskArn, release.id, [{ name: 'app', exitCode: 0 }]));
    expect((await harness.release(built.id)).state).toBe('COMPLETED');
  });
});

describe('reconcile alone (every event dropped)', () => {
  it('takes a push through builds and a rollout to COMPLETED', async () => {
    await holdTasks(1);
    try {
      const sha = `${Date.now().toString(16)}abc`.slice(0, 12);
      // Builds: the push is seen, but no build event ever arrives.
      const built = await harness.builtReleaseWithoutBuildEvents(sha);
      for (let tick = 0; tick < 12 && (await harness.release(built.id)).state !== 'COMPLETED'; tick += 1) {
        await harness.reconcile({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
      }
      const release = await harness.release(built.id);
      expect(release.state).toBe('COMPLETED');
      expect(release.rollout?.triggeredBy).toBe('auto-deploy');
      expect(await serviceImages()).toEqual(expectedImages(release));
    } finally {
      await holdTasks(1000);
    }
  });
});
