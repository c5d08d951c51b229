import { ECSClient, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedLocalMode, type LocalModeInUse } from '../support/shared-local-mode.js';

/** `npm start` as a user runs it, on free ports so it never collides with a developer's own. */
describe('local mode', () => {
  let local: LocalModeInUse;

  beforeAll(async () => {
    local = await sharedLocalMode();
  }, 60_000);

  it('serves GET /health with 200 JSON', async () => {
    const response = await fetch(`${local.endpoints.httpApi}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok', service: 'ecs-conductor', stage: 'local' });
  });

  it('has the example environment services in the emulator with their desired counts', async () => {
    const ecs = new ECSClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' });
    const { services = [] } = await ecs.send(
      new DescribeServicesCommand({
        cluster: 'cgap-mastertest',
        services: ['cgap-mastertest-wsgi', 'cgap-mastertest-indexer', 'cgap-mastertest-ingester'],
      }),
    );
    expect(services.map((service) => [service.serviceName, service.desiredCount, service.status])).toEqual([
      ['cgap-mastertest-wsgi', 8, 'ACTIVE'],
      ['cgap-mastertest-indexer', 4, 'ACTIVE'],
      ['cgap-mastertest-ingester', 1, 'ACTIVE'],
    ]);
  });

  it('invokes onImagePush through the Lambda endpoint with an EventBridge event as payload', async () => {
    const payload = readFileSync(new URL('../fixtures/events/ecr-push.json', import.meta.url), 'utf8');
    const response = await fetch(
      `${local.endpoints.lambda}/2015-03-31/functions/ecs-conductor-local-onImagePush/invocations`,
      {
        method: 'POST',
        body: payload,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBeNull();
  });
});
