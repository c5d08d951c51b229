import { describe, expect, it } from 'vitest';
import type { Environments } from '../../../src/domain/environment.js';
import type { SmokeResult } from '../../../src/domain/native-deployment.js';
import { answerDeploymentHook } from '../../../src/use-cases/answer-deployment-hook.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { rollingRelease, BLUE_GREEN } from '../../support/native-strategy.js';
import { environment } from '../../support/release-fixtures.js';

const base = environment('cgap-mastertest');
const wsgi = base.services.wsgi as NonNullable<typeof base.services.wsgi>;
const environments: Environments = {
  'cgap-mastertest': { ...base, services: { ...base.services, wsgi: { ...wsgi, strategy: BLUE_GREEN } } },
};
const SERVICE_ARN = `arn:aws:ecs:us-east-1:123456789012:service/${base.cluster}/${wsgi.service}`;
const t0 = new Date('2026-12-06T10:00:00Z');

/** A world where `release` rolls out in cgap-mastertest (it holds the lock) and the probe answers `results` in turn. */
function world(results: SmokeResult[]) {
  const fake = inMemoryWorld({ now: t0 });
  const release = rollingRelease(t0);
  fake.put(release);
  const probed: { url: string; timeoutSeconds: number }[] = [];
  const ports = {
    ...fake.ports('hook'),
    probe: {
      get: (url: string, timeoutSeconds: number) => {
        probed.push({ url, timeoutSeconds });
        return Promise.resolve(results.shift() ?? { kind: 'unreachable' as const, error: 'no answer scripted' });
      },
    },
  };
  return { ports, probed, fake, release };
}

async function lockFor(fake: ReturnType<typeof inMemoryWorld>, releaseId: string) {
  await fake.ports('x').locks.lock('cgap-mastertest', `${releaseId}@1`, 600, t0);
}

const invocation = (attempt = 1) => ({ serviceArn: SERVICE_ARN, lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', attempt });

describe('answerDeploymentHook', () => {
  it('answers SUCCEEDED when the test listener gives the expected status, and records it on the rolling release', async () => {
    const { ports, probed, fake, release } = world([{ kind: 'answered', status: 200 }]);
    await lockFor(fake, release.id);
    const outcome = await answerDeploymentHook(ports, environments, invocation());

    expect(outcome).toMatchObject({ answer: { hookStatus: 'SUCCEEDED' }, releaseId: release.id, service: 'wsgi' });
    expect(probed).toEqual([{ url: 'http://test-listener:8080/health', timeoutSeconds: 5 }]);
    expect(fake.release(release.id)?.timeline.at(-1)).toMatchObject({
      step: 'service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check passed (200 /health, expected 200)',
      detail: 'GET http://test-listener:8080/health',
    });
  });

  it('answers FAILED on another status, so ECS rolls back before production traffic moves', async () => {
    const { ports, fake, release } = world([{ kind: 'answered', status: 503 }]);
    await lockFor(fake, release.id);
    const outcome = await answerDeploymentHook(ports, environments, invocation());
    expect(outcome.answer).toEqual({ hookStatus: 'FAILED' });
    expect(fake.release(release.id)?.timeline.at(-1)?.step).toBe(
      'service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check failed (503 /health, expected 200)',
    );
  });

  it('answers IN_PROGRESS with a delay while the listener is unreachable, and FAILED on the last attempt', async () => {
    const down = { kind: 'unreachable' as const, error: 'ECONNREFUSED' };
    const { ports } = world([down, down, down]);
    expect((await answerDeploymentHook(ports, environments, invocation(1))).answer).toEqual({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: 15,
      hookDetails: { attempt: 2 },
    });
    expect((await answerDeploymentHook(ports, environments, invocation(2))).answer.hookStatus).toBe('IN_PROGRESS');
    expect((await answerDeploymentHook(ports, environments, invocation(3))).answer).toEqual({ hookStatus: 'FAILED' });
  });

  it('answers FAILED for a service the conductor does not roll, and SUCCEEDED for one without a smoke check', async () => {
    const { ports, probed } = world([]);
    const stranger = await answerDeploymentHook(ports, environments, {
      ...invocation(),
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/other/web',
    });
    expect(stranger).toMatchObject({
      answer: { hookStatus: 'FAILED' },
      summary: expect.stringContaining('no configured service') as string,
    });
    const plain = {
      'cgap-mastertest': {
        ...base,
        services: { ...base.services, wsgi: { ...wsgi, strategy: { ...BLUE_GREEN, smokeCheck: undefined } } },
      },
    };
    expect((await answerDeploymentHook(ports, plain, invocation())).answer).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(probed).toEqual([]);
  });

  it('still answers when no release holds the environment (nothing to record on)', async () => {
    const { ports } = world([{ kind: 'answered', status: 200 }]);
    const outcome = await answerDeploymentHook(ports, environments, invocation());
    expect(outcome.answer.hookStatus).toBe('SUCCEEDED');
    expect(outcome.releaseId).toBeUndefined();
  });
});
