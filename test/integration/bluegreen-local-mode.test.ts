import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import type { LocalMode } from '../../scripts/local.js';
import { gatesLocal } from '../support/gates-local.js';
import { startLocalModeOn } from '../support/local-api.js';

/**
 * examples/release-gates' production wsgi rolls out blue/green. moto has no service deployments and
 * invokes no hooks, so local mode plays them: the stages, the hook Lambda's smoke check against the
 * test listener local mode serves on 127.0.0.1:4100, and ECS's rollback when the hook answers FAILED.
 */

const CONFIG = join(PROJECT_ROOT, 'examples', 'release-gates', 'conductor.yml');
const TEST_LISTENER = 'http://127.0.0.1:4100';

describe('blue/green wsgi in local mode (examples/release-gates)', () => {
  let local: LocalMode;
  let ecs: ECSClient;

  beforeAll(async () => {
    local = await startLocalModeOn(CONFIG, 'bluegreen-token');
    ecs = new ECSClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' });
  }, 240_000);

  afterAll(async () => {
    ecs.destroy();
    await local.stop();
  }, 60_000);

  const { api, cli, approve, push, settle } = gatesLocal(() => local);

  /** A version completed in staging, scanned clean, asked for in production and approved: its production release. */
  async function deployToProduction(version: string): Promise<string> {
    // One push to the shared repository makes a release in both environments.
    const staging = await push(version, 'staging');
    expect((await cli(['local', 'scan', 'production', version, '--config', CONFIG])).code).toBe(0);
    expect((await api('POST', '/environments/staging/deployments', { version })).status).toBe(202);
    expect((await settle(staging)).state).toBe('COMPLETED');
    const asked = await api('POST', '/environments/production/deployments', { version });
    expect(asked).toMatchObject({ status: 202, json: { state: 'AWAITING_APPROVAL' } });
    const approved = await approve(version);
    expect(approved.code).toBe(0);
    return String(asked.json.id);
  }

  const wsgiTaskDefinition = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster: 'gates-production', services: ['gates-production-wsgi'] })))
      .services?.[0]?.taskDefinition;

  it('passes through its hook stages to COMPLETED, the smoke check in the timeline', async () => {
    const done = await settle(await deployToProduction('3.0.0'), undefined, 200);

    expect(done.state).toBe('COMPLETED');
    const steps = done.timeline.map((entry) => entry.step);
    expect(steps).toContain('service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check passed (200 /health, expected 200)');
    // `local scan` delivered ECR's scan event to onImagePush, which recorded it on the release.
    expect(done.timeline).toContainEqual(
      expect.objectContaining({
        step: 'image scan COMPLETE',
        detail: expect.stringMatching(/no findings$/) as unknown,
      }),
    );
    const rolling = done.timeline.find((entry) => entry.step === 'service wsgi rolling');
    expect(rolling?.detail).toMatch(/BLUE_GREEN deployment arn:aws:ecs:us-east-1:\d{12}:service-deployment\//);
    expect(await wsgiTaskDefinition()).toBe(done.rollout?.services.wsgi?.taskDefinitionArn);
  }, 240_000);

  it('rolls back in ECS when the smoke check fails, and the release fails saying so', async () => {
    const before = await wsgiTaskDefinition();
    const failing = await fetch(`${TEST_LISTENER}/local/smoke?status=500`, { method: 'POST' });
    expect(failing.status).toBe(200);
    try {
      const failed = await settle(await deployToProduction('4.0.0'), undefined, 200);

      expect(failed.state).toBe('FAILED');
      expect(failed.failure?.reason).toBe(
        'service wsgi: ECS rolled the deployment back (ROLLBACK_SUCCESSFUL): lifecycle hook at POST_TEST_TRAFFIC_SHIFT answered FAILED',
      );
      expect(failed.timeline.map((entry) => entry.step)).toContain(
        'service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check failed (500 /health, expected 200)',
      );
      // ECS put back what ran before: 3.0.0's revision, not 4.0.0's.
      expect(await wsgiTaskDefinition()).toBe(before);
      expect(failed.rollout?.services.wsgi?.taskDefinitionArn).not.toBe(before);
    } finally {
      await fetch(`${TEST_LISTENER}/local/smoke?status=200`, { method: 'POST' });
    }
  }, 240_000);
});
