import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/emulator.js';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import type { LocalMode } from '../../scripts/local.js';
import type { Environment } from '../../src/domain/environment.js';
import { pushImage } from '../../src/local/images.js';
import { pushSourceImage } from '../../src/local/push.js';
import { startLocalModeOn } from '../support/local-api.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

/**
 * `CONDUCTOR_CONFIG=examples/cgap-4dn-cloud-infra/conductor.yml npm start`: local mode creates the
 * stacks 4dn-cloud-infra generated for cgap-supertest (test/fixtures/cgap/generate.sh) in its
 * emulator, adopts them, rolls a push of `latest` out and autoscales the services CloudFormation named.
 */

const ENVIRONMENT = 'cgap-supertest';
const EXAMPLE = join(PROJECT_ROOT, 'examples', 'cgap-4dn-cloud-infra');
const CONTAINERS = { wsgi: 'portal', indexer: 'Indexer', ingester: 'Ingester' } as const;

interface ReleaseView {
  state: string;
  builds: Record<string, { digest?: string }>;
  rollout?: { tasks: Record<string, { taskArn?: string }> };
}

describe('local mode on the example 4dn-cloud-infra stack', () => {
  let local: LocalMode;
  /** Between the Lambdas and the emulator: moto keeps no trace of a RunTask's network. */
  let proxy: RecordingProxy;
  let env: Environment;
  let ecs: ECSClient;

  beforeAll(async () => {
    const emulatorPort = await freePort();
    proxy = await startRecordingProxy(`http://127.0.0.1:${String(emulatorPort)}`);
    local = await startLocalModeOn(join(EXAMPLE, 'conductor.yml'), 'example-token', {
      emulatorPort,
      awsEndpointFor: () => proxy.endpoint,
    });
    const resolved = local.config.environments[ENVIRONMENT];
    if (!resolved) throw new Error(`local mode has no ${ENVIRONMENT}`);
    env = resolved;
    ecs = new ECSClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' });
  }, 240_000);

  afterAll(async () => {
    await local.stop();
    await proxy.close();
  }, 60_000);

  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${local.endpoints.httpApi}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${local.token}`, 'content-type': 'application/json' },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  const invoke = (fn: string, event: unknown, type = 'RequestResponse') =>
    fetch(`${local.endpoints.lambda}/2015-03-31/functions/ecs-conductor-local-${fn}/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': type },
      body: JSON.stringify(event),
    });

  async function settle(releaseId: string): Promise<ReleaseView> {
    for (let attempt = 0; attempt < 90; attempt += 1) {
      const release = (await api(`/releases/${releaseId}`)).json as unknown as ReleaseView;
      if (['COMPLETED', 'FAILED', 'ROLLED_BACK'].includes(release.state)) return release;
      await sleep(1000);
    }
    throw new Error(`release ${releaseId} did not settle`);
  }

  it('creates every stack 4dn-cloud-infra generated, as is, and takes every name from them', () => {
    const created = readdirSync(join(EXAMPLE, 'stacks')).map((file) => file.replace(/\.yml$/, ''));
    expect(created.sort()).toEqual([
      'c4-appconfig-cgap-supertest-stack',
      'c4-codebuild-cgap-supertest-stack',
      'c4-datastore-cgap-supertest-stack',
      'c4-ecr-main-stack',
      'c4-ecs-cgap-supertest-stack',
      'c4-iam-main-stack',
      'c4-logging-main-stack',
      'c4-network-main-stack',
    ]);
    const from = Object.fromEntries(local.names.map((name) => [name.path, name.from]));
    const at = `environments.${ENVIRONMENT}`;
    expect(from).toMatchObject({
      [`${at}.cluster`]: 'resource cgapDockerClusterForCgapSupertest of stack c4-ecs-cgap-supertest-stack',
      [`${at}.services.wsgi.service`]: 'resource cgapportalService of stack c4-ecs-cgap-supertest-stack',
      [`${at}.services.ingester.taskDefinitionFamily`]: 'resource cgapIngester of stack c4-ecs-cgap-supertest-stack',
      [`${at}.deploymentTasks.deployment.taskDefinition`]:
        'resource cgapDeployment of stack c4-ecs-cgap-supertest-stack',
      [`${at}.deploymentTasks.initial-deployment.taskDefinition`]:
        'resource cgapInitialDeployment of stack c4-ecs-cgap-supertest-stack',
      [`${at}.deploymentTasks.deployment.network.subnets`]: 'outputs of stack c4-network-main-stack',
      [`${at}.deploymentTasks.deployment.network.securityGroups`]: 'outputs of stack c4-network-main-stack',
      [`${at}.taskRoles`]: 'outputs of stack c4-iam-main-stack',
      [`${at}.queues.ingestion.queue`]: "SQS, by 4dn-cloud-infra's naming",
    });
    expect(env.queues.ingestion?.queue).toBe('cgap-supertest-ingestion-queue');
  });

  it('adopts what the stack runs before any release: `latest` by digest, nothing changed in ECS', async () => {
    const ecr = new ECRClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' });
    const latest = await pushImage(ecr, env.repository, 'latest');
    const names = Object.values(env.services).map((service) => service.service);
    const revisions = async () =>
      (await ecs.send(new DescribeServicesCommand({ cluster: env.cluster, services: names }))).services?.map(
        (service) => service.taskDefinition,
      );
    const before = await revisions();

    const adopted = await api(`/environments/${ENVIRONMENT}/adopt`, { method: 'POST', body: '{}' });

    expect(adopted.status).toBe(200);
    const release = adopted.json.release as ReleaseView & { id: string; version: string };
    expect(release.state).toBe('COMPLETED');
    expect(Object.values(release.builds).map((build) => build.digest)).toEqual([latest, latest, latest, latest]);
    expect(await revisions()).toEqual(before);
    const status = await api(`/environments/${ENVIRONMENT}`);
    expect(status.json.currentRelease).toMatchObject({ id: release.id, version: release.version });
    expect(status.json.routineRedeploy).toMatchObject({ task: 'deployment', everyDays: 80, failuresInARow: 0 });
    // CGAP's stock entrypoint_deployment.sh ends in exit 0: the gate says it cannot see a failure.
    expect(status.json.deploymentGate).toMatchObject({
      blind: true,
      reason: expect.stringMatching(/^gate blind: /) as unknown,
    });
  });

  it('is production: a scale without --confirm is refused, naming what to repeat, and changes nothing', async () => {
    const ingester = async () =>
      (
        await ecs.send(
          new DescribeServicesCommand({ cluster: env.cluster, services: [env.services.ingester?.service ?? ''] }),
        )
      ).services?.[0]?.desiredCount;
    const before = await ingester();

    const refused = await api(`/environments/${ENVIRONMENT}/services/ingester/scale`, {
      method: 'POST',
      body: JSON.stringify({ desiredCount: (before ?? 0) + 1, holdMinutes: 0 }),
    });

    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({
      error: {
        code: 'CONFIRMATION_REQUIRED',
        details: [{ path: 'body.confirm', message: expect.stringContaining(ENVIRONMENT) as unknown }],
      },
    });
    expect(await ingester()).toBe(before);
  });

  it("rolls a push of `latest` (CGAP's build) out to the services and deployment task CloudFormation named", async () => {
    const pushed = await pushSourceImage(
      { emulator: local.endpoints.emulator, lambda: local.endpoints.lambda },
      env.repository,
      'latest',
      ENVIRONMENT,
    );
    const { digest } = pushed;
    expect(pushed.release?.version).toBe('latest');

    const release = await settle(pushed.release?.id ?? '?');

    expect(release.state).toBe('COMPLETED');
    const names = Object.values(env.services).map((service) => service.service);
    expect(names.every((name) => name.startsWith('c4-ecs-cgap-supertest-stack-cgap'))).toBe(true);
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: env.cluster, services: names }));
    for (const [key, container] of Object.entries(CONTAINERS)) {
      const service = services.find((candidate) => candidate.serviceName === env.services[key]?.service);
      const { taskDefinition } = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }),
      );
      expect(taskDefinition?.family).toBe(env.services[key]?.taskDefinitionFamily);
      expect(taskDefinition?.revision).toBe(2);
      const definition = taskDefinition?.containerDefinitions?.find((candidate) => candidate.name === container);
      expect(definition?.image).toMatch(new RegExp(`/cgap-supertest@${digest}$`));
      // The ingester's revision carries the stop timeout the example sets; the others keep ECS's default.
      expect(definition?.stopTimeout).toBe(key === 'ingester' ? 120 : undefined);
      // Everything else as 4dn-cloud-infra wrote it: the env kind comes from application_type.
      expect(definition?.environment).toContainEqual({ name: 'IDENTITY', value: 'C4AppConfigCgapSupertest' });
    }
    const taskArn = release.rollout?.tasks.deployment?.taskArn ?? '';
    const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: env.cluster, tasks: [taskArn] }));
    expect(tasks[0]?.taskDefinitionArn).toContain(
      `:task-definition/${env.deploymentTasks.deployment?.taskDefinition ?? '?'}:2`,
    );
    expect(tasks[0]?.containers?.map((container) => [container.name, container.exitCode])).toEqual([
      ['DeploymentAction', 0],
    ]);
    // In the network stack's private subnets with its DB and application security groups, as the runbook says.
    const network = env.deploymentTasks.deployment?.network;
    expect(network?.subnets).toHaveLength(2);
    expect(network?.securityGroups).toHaveLength(2);
    expect(proxy.bodiesOf('RunTask')).toEqual([
      expect.objectContaining({
        cluster: env.cluster,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: network?.subnets,
            securityGroups: network?.securityGroups,
            assignPublicIp: 'DISABLED',
          },
        },
      }),
    ]);
    expect(proxy.bodiesOf('UpdateService').map((body) => body.service)).toEqual(expect.arrayContaining(names));

    const status = await api(`/environments/${ENVIRONMENT}`);
    expect(status.status).toBe(200);
    expect(JSON.stringify(status.json)).toContain(env.services.ingester?.service);
  }, 150_000);

  it('scales the ingester CloudFormation named from its queue', async () => {
    const sqs = new SQSClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: env.queues.ingestion?.queue }));
    const entries = ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: `{"uuids":["${id}"]}` }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));

    // Asynchronously, as its schedule does: one invocation re-checks for a minute.
    expect((await invoke('autoscale', {}, 'Event')).status).toBe(202);

    let desiredCount: number | undefined;
    for (let attempt = 0; attempt < 30 && desiredCount !== 3; attempt += 1) {
      await sleep(1000);
      const described = await ecs.send(
        new DescribeServicesCommand({ cluster: env.cluster, services: [env.services.ingester?.service ?? ''] }),
      );
      desiredCount = described.services?.[0]?.desiredCount;
    }
    expect(desiredCount).toBe(3);
  }, 60_000);
});
