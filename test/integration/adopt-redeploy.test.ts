import { emulatorEndpoint } from '../support/aws-env.js';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release } from '../../src/domain/release.js';
import { pushImage } from '../../src/local/images.js';
import {
  ENVIRONMENT,
  REPOSITORY_URI,
  SERVICES,
  startConductorHarness,
  taskStoppedEvent,
  type ConductorHarness,
} from '../support/conductor-harness.js';

/**
 * Adopting an environment the conductor never rolled out, and running its routine deployment task on
 * demand, through the API against the emulator: what runs is set up by hand first (task-definition
 * revisions naming images by tag, as 4dn-cloud-infra leaves them, and a deployment task run from the
 * console), then adopt records it without touching ECS, status shows it, and a redeploy that fails
 * backs off.
 */

const ecs = new ECSClient({ endpoint: emulatorEndpoint });
const ecr = new ECRClient({ endpoint: emulatorEndpoint });
const DEPLOYMENT_FAMILY = 'cgap-mastertest-deployment';
const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-ebd96fe8eaa249657'], securityGroups: ['sg-0c338fa11c826a85c'] },
};
let harness: ConductorHarness;
/** The digests ECR gave the tags the hand-made revisions name, by entrypoint. */
const digests: Record<string, string> = {};
let consoleRunAt: string | null = null;
let adoptedSince = '';

/** A new revision of `source` whose `app` container runs `image`, registered as someone else would. */
async function registerWithImage(source: string, image: string): Promise<string> {
  const { taskDefinition: definition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: source }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: definition?.family,
      requiresCompatibilities: definition?.requiresCompatibilities,
      networkMode: definition?.networkMode,
      cpu: definition?.cpu,
      memory: definition?.memory,
      containerDefinitions: (definition?.containerDefinitions ?? []).map((container) => ({ ...container, image })),
    }),
  );
  return taskDefinition?.taskDefinitionArn ?? '';
}

async function serviceTaskDefinitions(): Promise<string[]> {
  const { services = [] } = await ecs.send(
    new DescribeServicesCommand({ cluster: ENVIRONMENT, services: Object.values(SERVICES) }),
  );
  return services.map((service) => service.taskDefinition ?? '');
}

beforeAll(async () => {
  harness = await startConductorHarness();
  const run = `adopt${String(process.pid)}`;
  for (const entrypoint of ['wsgi', 'indexer', 'ingester', 'deployment']) {
    digests[entrypoint] = await pushImage(ecr, 'cgap-mastertest', `${run}-${entrypoint}`);
  }
  for (const [key, service] of Object.entries(SERVICES)) {
    const [current] =
      (await ecs.send(new DescribeServicesCommand({ cluster: ENVIRONMENT, services: [service] }))).services ?? [];
    const revision = await registerWithImage(current?.taskDefinition ?? '', `${REPOSITORY_URI}:${run}-${key}`);
    await ecs.send(new UpdateServiceCommand({ cluster: ENVIRONMENT, service, taskDefinition: revision }));
  }
  const deployment = await registerWithImage(DEPLOYMENT_FAMILY, `${REPOSITORY_URI}:${run}-deployment`);
  const { tasks = [] } = await ecs.send(
    new RunTaskCommand({
      cluster: ENVIRONMENT,
      taskDefinition: deployment,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      startedBy: 'console',
    }),
  );
  const [described] =
    (await ecs.send(new DescribeTasksCommand({ cluster: ENVIRONMENT, tasks: [tasks[0]?.taskArn ?? ''] }))).tasks ?? [];
  // moto reports no startedAt or createdAt on tasks: then no run is known and the re-run is due an
  // hour after the adoption (the newest-run rule itself is covered by test/unit/use-cases/adopt-environment.test.ts).
  consoleRunAt = (described?.startedAt ?? described?.createdAt)?.toISOString() ?? null;
}, 120_000);

afterAll(async () => {
  await harness.close();
});

describe('adopting an environment and redeploying its routine task (API, emulator)', () => {
  let baseline: Release;

  it('records what runs as the current, completed release and changes nothing in ECS', async () => {
    const before = await serviceTaskDefinitions();

    const reply = await harness.post(`/environments/${ENVIRONMENT}/adopt`, {});

    expect(reply.statusCode).toBe(200);
    const adoption = reply.json as unknown as {
      release: Release;
      recordedNow: boolean;
      current: { releaseId: string; since: string; deploymentTaskRunAt: string | null };
    };
    baseline = adoption.release;
    expect(adoption.recordedNow).toBe(true);
    expect(baseline.state).toBe('COMPLETED');
    expect(baseline.version).toMatch(/^adopted-[0-9a-f]{12}$/);
    expect(Object.fromEntries(Object.entries(baseline.builds).map(([key, build]) => [key, build.digest]))).toEqual(
      digests,
    );
    expect(adoption.current.releaseId).toBe(baseline.id);
    // ECS showed no run (moto) or the console's: never "ran at adoption" (hole 3).
    expect(adoption.current.deploymentTaskRunAt).toBe(consoleRunAt);
    adoptedSince = adoption.current.since;
    expect(await serviceTaskDefinitions()).toEqual(before);
    expect((await harness.release(baseline.id)).state).toBe('COMPLETED');
  });

  it('shows the adopted release as running, with the routine re-run due 80 days after the last run (an hour after adopting when none is known)', async () => {
    const status = await harness.get(`/environments/${ENVIRONMENT}`);

    expect(status.statusCode).toBe(200);
    expect(status.json.currentRelease).toMatchObject({
      id: baseline.id,
      version: baseline.version,
      state: 'COMPLETED',
    });
    expect(status.json.routineRedeploy).toEqual({
      task: 'deployment',
      everyDays: 80,
      lastRunAt: consoleRunAt,
      nextDueAt: new Date(
        consoleRunAt === null ? Date.parse(adoptedSince) + 3_600_000 : Date.parse(consoleRunAt) + 80 * 86_400_000,
      ).toISOString(),
      failuresInARow: 0,
      lastFailure: null,
    });
  });

  it('is harmless to repeat: the same release, nothing new recorded', async () => {
    const reply = await harness.post(`/environments/${ENVIRONMENT}/adopt`, {});

    expect(reply.statusCode).toBe(200);
    expect(reply.json).toMatchObject({ recordedNow: false, release: { id: baseline.id } });
  });

  it('redeploys the routine task now; adopt and redeploy are refused (409) while it runs', async () => {
    const started = await harness.post(`/environments/${ENVIRONMENT}/redeploy`, {});

    expect(started.statusCode).toBe(202);
    expect(started.json).toMatchObject({ id: baseline.id, state: 'DEPLOYING', rollout: { kind: 'rerun' } });
    // The plan: the routine task alone, at the image the environment runs.
    expect(started.json.plan).toEqual([
      {
        kind: 'task',
        waitsForPrevious: false,
        targets: [expect.objectContaining({ name: 'deployment', digest: digests.deployment })],
      },
    ]);
    const release = await harness.release(baseline.id);
    const taskDefinition = release.rollout?.tasks.deployment?.taskDefinitionArn ?? '';
    const { taskDefinition: ran } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
    expect(ran?.containerDefinitions?.[0]?.image).toBe(`${REPOSITORY_URI}@${digests.deployment ?? ''}`);

    for (const route of ['adopt', 'redeploy']) {
      const refused = await harness.post(`/environments/${ENVIRONMENT}/${route}`, {});
      expect(refused.statusCode).toBe(409);
      expect(refused.json).toMatchObject({ error: { code: 'CONFLICT' } });
    }
  });

  it('a failed redeploy waits an hour before the next try, and status says so', async () => {
    const release = await harness.release(baseline.id);
    const taskArn = release.rollout?.tasks.deployment?.taskArn ?? '';
    await harness.onTaskStateChange(taskStoppedEvent(taskArn, release.id, [{ name: 'app', exitCode: 3 }]));

    const status = await harness.get(`/environments/${ENVIRONMENT}`);
    const routine = status.json.routineRedeploy as {
      failuresInARow: number;
      nextDueAt: string;
      lastFailure: { at: string; reason: string };
    };
    expect((await harness.release(baseline.id)).state).toBe('FAILED');
    expect(routine.failuresInARow).toBe(1);
    expect(routine.lastFailure.reason).toMatch(/exit/);
    expect(Date.parse(routine.nextDueAt) - Date.parse(routine.lastFailure.at)).toBe(3_600_000);

    // What an invoke of reconcile returns: per environment, what it found and did.
    const summary = await harness.reconcile({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    expect((await harness.release(baseline.id)).state).toBe('FAILED');
    expect(summary).toMatchObject({
      outcome: 'reconciled',
      environments: expect.arrayContaining([{ environment: ENVIRONMENT, buildsRecorded: [] }]) as unknown,
    });
    expect(summary).not.toHaveProperty('failures');
  });
});
