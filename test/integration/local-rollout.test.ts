import { ECRClient } from '@aws-sdk/client-ecr';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { releaseIdFor } from '../../src/domain/release.js';
import { pushImage } from '../../src/local/images.js';
import { sharedLocalMode, type LocalModeInUse } from '../support/shared-local-mode.js';

/** The whole loop in local mode: an ECR push becomes a COMPLETED rollout, as it would on AWS. */
describe('local mode, push to COMPLETED', () => {
  let local: LocalModeInUse;
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
    detail: Record<string, unknown>;
  };

  beforeAll(async () => {
    // The deployment task runs 6 s: the 409 test's second deploy must find the first still rolling out,
    // and on a loaded CI lane serverless-offline may take a few seconds to start a second api worker.
    local = await sharedLocalMode({ taskStopSeconds: 6, failingVersions: /^badc0de/ });
  }, 60_000);

  /** Pushes a source image and delivers its ECR event, as EventBridge would. */
  async function push(version: string): Promise<string> {
    const digest = await pushImage(
      new ECRClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' }),
      'cgap-mastertest',
      version,
    );
    const event = { ...fixture, detail: { ...fixture.detail, 'image-tag': version, 'image-digest': digest } };
    const response = await fetch(
      `${local.endpoints.lambda}/2015-03-31/functions/ecs-conductor-local-onImagePush/invocations`,
      { method: 'POST', body: JSON.stringify(event) },
    );
    expect(response.status).toBe(200);
    return releaseIdFor('cgap-mastertest', digest, ['wsgi', 'indexer', 'ingester', 'deployment']);
  }

  async function settle(releaseId: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const response = await fetch(`${local.endpoints.httpApi}/releases/${releaseId}`, {
        headers: { authorization: `Bearer ${local.token}` },
      });
      const release = (await response.json()) as Record<string, unknown>;
      if (['COMPLETED', 'FAILED', 'ROLLED_BACK'].includes(String(release.state))) return release;
      await sleep(1000);
    }
    throw new Error(`release ${releaseId} did not settle`);
  }

  /** `ecs-conductor watch RELEASE` against the local API, as an operator runs it. */
  async function watch(releaseId: string): Promise<{ code: number; output: string }> {
    let output = '';
    const code = await main(
      [
        'node',
        'ecs-conductor',
        'watch',
        releaseId,
        '--api',
        local.endpoints.httpApi,
        '--token',
        local.token,
        '--interval',
        '0.5',
        '--timeout',
        '90',
      ],
      (text) => (output += text),
    );
    return { code, output };
  }

  it('follows a pushed git SHA with `ecs-conductor watch` through build and auto-deploy to COMPLETED', async () => {
    const releaseId = await push('0ddba11c0ffee');
    const watched = await watch(releaseId);
    expect(watched.code).toBe(0);
    expect(watched.output).toContain('COMPLETED');
    const release = await settle(releaseId);
    expect(release.state).toBe('COMPLETED');
    expect((release.timeline as { step: string }[]).map((entry) => entry.step)).toEqual(
      expect.arrayContaining(['release built', 'deploy started', 'task deployment running', 'release completed']),
    );
  }, 120_000);

  it('fails a release whose build fails, naming the build, and `watch` exits non-zero', async () => {
    const releaseId = await push('badc0de1');
    const watched = await watch(releaseId);
    expect(watched.code).not.toBe(0);
    expect(watched.output).toContain('FAILED');
    const release = await settle(releaseId);
    expect(release.state).toBe('FAILED');
    expect(release.failure).toMatchObject({ reason: expect.stringMatching(/^build of \w+ FAILED/) as unknown });
  }, 120_000);

  it('answers a second deploy of the environment over real HTTP with 409 naming the active release', async () => {
    const releaseId = await push('1.9.0');
    let state = '';
    for (let attempt = 0; attempt < 90 && state !== 'BUILT'; attempt += 1) {
      await sleep(500);
      const response = await fetch(`${local.endpoints.httpApi}/releases/${releaseId}`, {
        headers: { authorization: `Bearer ${local.token}` },
      });
      state = String(((await response.json()) as { state?: string }).state);
    }
    expect(state).toBe('BUILT');
    const deployOnce = () =>
      fetch(`${local.endpoints.httpApi}/environments/cgap-mastertest/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${local.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: '1.9.0' }),
      });
    const replies = await Promise.all([deployOnce(), deployOnce()]);
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([202, 409]);
    const conflict = replies.find((reply) => reply.status === 409);
    expect(await conflict?.json()).toMatchObject({
      error: { code: 'CONFLICT', details: [{ path: 'environment', message: `active release ${releaseId}` }] },
    });
    expect((await settle(releaseId)).state).toBe('COMPLETED');
  }, 120_000);
});
