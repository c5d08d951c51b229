import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import type { LocalMode } from '../../scripts/local.js';
import { pushImage } from '../../src/local/images.js';
import { call, startLocalModeOn } from '../support/local-api.js';
import { pushImageToLocalMode } from '../support/local-push.js';
import type { Environment } from '../../src/domain/environment.js';
import { SETTLED_RELEASE_STATES } from '../../src/domain/release-states.js';

/**
 * Single-image mode end to end in local mode (test/fixtures/config/single-image.yml): CGAP's own
 * image is the release. A push reaches COMPLETED with no build, every task definition pinned to the
 * pushed digest, each keeping the `application_type` that picks its entrypoint.
 */

const ENVIRONMENT = 'cgap-single';
const ENTRYPOINTS = ['wsgi', 'indexer', 'ingester', 'deployment'];

interface ReleaseView {
  state: string;
  version: string;
  builds: Record<string, { imageTag: string; status: string; buildId?: string; digest?: string }>;
  rollout?: { tasks: Record<string, { taskArn?: string }> };
}

describe('single-image end to end in local mode', () => {
  let local: LocalMode;
  let env: Environment;
  let ecs: ECSClient;
  let ecr: ECRClient;

  beforeAll(async () => {
    local = await startLocalModeOn(join(PROJECT_ROOT, 'test', 'fixtures', 'config', 'single-image.yml'), 'si-token');
    const resolved = local.config.environments[ENVIRONMENT];
    if (!resolved) throw new Error(`local mode has no ${ENVIRONMENT}`);
    env = resolved;
    const aws = { endpoint: local.endpoints.emulator, region: 'us-east-1' };
    ecs = new ECSClient(aws);
    ecr = new ECRClient(aws);
  }, 240_000);

  afterAll(async () => {
    ecs.destroy();
    ecr.destroy();
    await local.stop();
  }, 60_000);

  const api = async (method: string, path: string, body?: unknown) => {
    const reply = await call(local.endpoints.httpApi, method, path, {
      token: local.token,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: reply.status, json: reply.json as Record<string, unknown> };
  };

  async function settle(releaseId: string): Promise<ReleaseView> {
    for (let attempt = 0; attempt < 90; attempt += 1) {
      const release = (await api('GET', `/releases/${releaseId}`)).json as unknown as ReleaseView;
      if ((SETTLED_RELEASE_STATES as readonly string[]).includes(release.state)) return release;
      await sleep(1000);
    }
    throw new Error(`release ${releaseId} did not settle`);
  }

  /** Each service's running task definition and the deployment task's, as ECS has them. */
  async function taskDefinitions(release: ReleaseView) {
    const names = Object.values(env.services).map((service) => service.service);
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: env.cluster, services: names }));
    const taskArn = release.rollout?.tasks.deployment?.taskArn ?? '';
    const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: env.cluster, tasks: [taskArn] }));
    const arns: Record<string, string | undefined> = {
      ...Object.fromEntries(
        Object.entries(env.services).map(([key, service]) => [
          key,
          services.find((candidate) => candidate.serviceName === service.service)?.taskDefinition,
        ]),
      ),
      deployment: tasks[0]?.taskDefinitionArn,
    };
    const described = await Promise.all(
      Object.entries(arns).map(async ([key, arn]) => {
        const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
        const [container] = taskDefinition?.containerDefinitions ?? [];
        const environment = Object.fromEntries(
          (container?.environment ?? []).map((pair) => [pair.name ?? '', pair.value ?? '']),
        );
        return [key, { image: container?.image, environment, revision: taskDefinition?.revision }] as const;
      }),
    );
    return Object.fromEntries(described);
  }

  it('rolls a pushed git SHA out with no build: every task definition pinned to the pushed digest, each its own application_type', async () => {
    const version = '5eed5eed5eed';
    const { releaseId, digest } = await pushImageToLocalMode(local.endpoints, version, ENVIRONMENT);

    const release = await settle(releaseId);

    expect(release.state).toBe('COMPLETED');
    for (const name of ENTRYPOINTS) {
      expect(release.builds[name]).toEqual({ imageTag: version, status: 'SUCCEEDED', digest });
    }
    const pinned = expect.stringMatching(new RegExp(`/cgap-single@${digest}$`)) as unknown;
    expect(await taskDefinitions(release)).toEqual({
      wsgi: { image: pinned, environment: { application_type: 'portal' }, revision: 2 },
      indexer: { image: pinned, environment: { application_type: 'indexer' }, revision: 2 },
      ingester: { image: pinned, environment: { application_type: 'ingester' }, revision: 2 },
      deployment: { image: pinned, environment: { application_type: 'deployment' }, revision: 2 },
    });
  }, 150_000);

  it('records a tag named by the builds route, deploys it by API and rolls back to the pushed release', async () => {
    const first = (await api('GET', `/environments/${ENVIRONMENT}/releases?limit=1`)).json as {
      releases: { sourceDigest: string }[];
    };
    const previousDigest = first.releases[0]?.sourceDigest ?? '';
    const digest = await pushImage(ecr, env.repository, '1.5.0');

    const built = await api('POST', `/environments/${ENVIRONMENT}/builds`, { version: '1.5.0' });
    expect(built.status).toBe(202);
    expect(built.json).toMatchObject({ state: 'BUILT', sourceDigest: digest, startedNow: [] });
    expect(Object.values(built.json.builds as Record<string, unknown>)).toEqual(
      ENTRYPOINTS.map(() => ({ imageTag: '1.5.0', status: 'SUCCEEDED', buildId: null })),
    );
    // A version outside autoDeployPattern waits for a deploy request.
    const deployed = await api('POST', `/environments/${ENVIRONMENT}/deployments`, { version: '1.5.0' });
    expect(deployed.status).toBe(202);
    const release = await settle(String(built.json.releaseId));
    expect(release.state).toBe('COMPLETED');
    const status = await api('GET', `/environments/${ENVIRONMENT}`);
    expect(JSON.stringify(status.json)).toContain(digest);

    expect((await api('POST', `/environments/${ENVIRONMENT}/rollback`, {})).status).toBe(202);
    for (let attempt = 0; attempt < 90; attempt += 1) {
      const after = (await api('GET', `/releases/${String(built.json.releaseId)}`)).json as unknown as ReleaseView;
      if (after.state === 'ROLLED_BACK') break;
      await sleep(1000);
    }
    const images = Object.values(await taskDefinitions(release))
      .slice(0, 3)
      .map((definition) => definition.image);
    expect(images).toEqual([1, 2, 3].map(() => expect.stringMatching(new RegExp(`@${previousDigest}$`)) as unknown));
  }, 200_000);
});
