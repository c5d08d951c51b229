import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/emulator.js';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import type { LocalMode } from '../../scripts/local.js';
import { releaseIdFor } from '../../src/domain/release.js';
import { pushImage } from '../../src/local/images.js';
import { startLocalModeOn } from '../support/local-api.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import type { Environment } from '../../src/domain/environment.js';

/**
 * `CONDUCTOR_CONFIG=examples/cgap-4dn-cloud-infra/conductor.yml npm start`: local mode creates the
 * example's 4dn-cloud-infra-shaped stack in its emulator and builds, rolls out and autoscales the
 * services CloudFormation named.
 */

const ENVIRONMENT = 'cgap-supertest';
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
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
    detail: Record<string, unknown>;
  };

  beforeAll(async () => {
    const emulatorPort = await freePort();
    proxy = await startRecordingProxy(`http://127.0.0.1:${String(emulatorPort)}`);
    local = await startLocalModeOn(
      join(PROJECT_ROOT, 'examples', 'cgap-4dn-cloud-infra', 'conductor.yml'),
      'example-token',
      {
        emulatorPort,
        awsEndpointFor: () => proxy.endpoint,
      },
    );
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
  });

  it('builds a pushed git SHA and rolls it out to the services and deployment task CloudFormation named', async () => {
    const version = '5eed5eed5eed';
    const ecr = new ECRClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' });
    const digest = await pushImage(ecr, env.repository, version);
    const push = {
      ...fixture,
      detail: { ...fixture.detail, 'repository-name': env.repository, 'image-tag': version, 'image-digest': digest },
    };
    expect((await invoke('onImagePush', push)).status).toBe(200);

    const release = await settle(releaseIdFor(ENVIRONMENT, digest, ['wsgi', 'indexer', 'ingester', 'deployment']));

    expect(release.state).toBe('COMPLETED');
    const names = Object.values(env.services).map((service) => service.service);
    expect(names.every((name) => name.startsWith('c4-ecs-stack-cgapsupertest-CGAP'))).toBe(true);
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: env.cluster, services: names }));
    for (const [key, container] of Object.entries(CONTAINERS)) {
      const service = services.find((candidate) => candidate.serviceName === env.services[key]?.service);
      const { taskDefinition } = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }),
      );
      expect(taskDefinition?.family).toBe(env.services[key]?.taskDefinitionFamily);
      expect(taskDefinition?.revision).toBe(2);
      const image = taskDefinition?.containerDefinitions?.find((definition) => definition.name === container)?.image;
      expect(image).toMatch(new RegExp(`/cgap-supertest@${release.builds[key]?.digest ?? '?'}$`));
    }
    const taskArn = release.rollout?.tasks.deployment?.taskArn ?? '';
    const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: env.cluster, tasks: [taskArn] }));
    expect(tasks[0]?.taskDefinitionArn).toContain(
      `:task-definition/${env.deploymentTasks.deployment?.taskDefinition ?? '?'}:2`,
    );
    expect(tasks[0]?.containers?.map((container) => [container.name, container.exitCode])).toEqual([
      ['DeploymentAction', 0],
    ]);
    // In the stack's private subnets with its DB and application security groups, as the runbook says.
    expect(proxy.bodiesOf('RunTask')).toEqual([
      expect.objectContaining({
        cluster: env.cluster,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: env.deploymentTasks.deployment?.network.subnets,
            securityGroups: env.deploymentTasks.deployment?.network.securityGroups,
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
