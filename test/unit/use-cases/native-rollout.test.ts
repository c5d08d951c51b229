import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../src/domain/environment.js';
import type { NativeStrategy } from '../../../src/domain/native-strategy.js';
import { progressRelease } from '../../../src/use-cases/progress-release.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { rollingRelease, BLUE_GREEN } from '../../support/native-strategy.js';
import { environment } from '../../support/release-fixtures.js';

const strategy: NativeStrategy = {
  ...BLUE_GREEN,
  type: 'CANARY',
  bakeTimeInMinutes: 5,
  canary: { percent: 10, bakeTimeInMinutes: 3 },
  smokeCheck: undefined,
};
const base = environment('cgap-mastertest');
const env: Environment = {
  ...base,
  services: { ...base.services, wsgi: { ...(base.services.wsgi as NonNullable<typeof base.services.wsgi>), strategy } },
  rollout: { ...base.rollout, services: ['wsgi', 'indexer'], deploymentTask: undefined },
};
const target = { name: 'cgap-mastertest', env };
const t0 = new Date('2026-12-06T10:00:00Z');

function world() {
  const fake = inMemoryWorld({ now: new Date(t0.getTime() + 1000) });
  const release = rollingRelease(t0, ['wsgi', 'indexer']);
  fake.put(release);
  const arnOf = () => fake.release(release.id)?.rollout?.services.wsgi?.serviceDeploymentArn ?? '';
  return { ...fake, id: release.id, arnOf };
}

describe('progressRelease with a native (canary) service', () => {
  it('deploys it with its strategy, beside a rolling service, and records the service deployment', async () => {
    const fake = world();
    await progressRelease(fake.ports('tick-1'), target, fake.id);

    expect(fake.calls.startNativeDeployment).toEqual([
      {
        cluster: env.cluster,
        service: 'cgap-mastertest-wsgi',
        taskDefinitionArn: expect.stringContaining('cgap-mastertest-wsgi') as string,
        strategy,
        alarmNames: [],
      },
    ]);
    expect(fake.calls.updateService.map((call) => call.service)).toEqual(['cgap-mastertest-indexer']);
    expect(fake.state.deploymentIndex.get(fake.arnOf())).toBe(fake.id);
    const line = fake.release(fake.id)?.timeline.find((entry) => entry.step === 'service wsgi rolling');
    expect(line?.detail).toContain(`CANARY deployment ${fake.arnOf()}`);
  });

  it('ends the step on the service deployment status: SUCCESSFUL completes, not the rolling "completed"', async () => {
    const fake = world();
    await progressRelease(fake.ports('tick-1'), target, fake.id);
    fake.completeServiceDeployments();
    const arn = fake.arnOf();
    fake.aws.serviceDeployments.set(arn, { arn, status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' });
    const moving = await progressRelease(fake.ports('tick-2'), target, fake.id);
    expect(moving.release?.state).toBe('DEPLOYING');
    expect(moving.release?.timeline.map((entry) => entry.step)).toContain('service wsgi: PRODUCTION_TRAFFIC_SHIFT');

    fake.aws.serviceDeployments.set(arn, { arn, status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' });
    const done = await progressRelease(fake.ports('tick-3'), target, fake.id);
    expect(done).toMatchObject({ endedNow: true, release: { state: 'COMPLETED' } });
  });

  it('fails the release with ECS’s reason when ECS rolled back', async () => {
    const fake = world();
    await progressRelease(fake.ports('tick-1'), target, fake.id);
    fake.completeServiceDeployments();
    const arn = fake.arnOf();
    fake.aws.serviceDeployments.set(arn, {
      arn,
      status: 'ROLLBACK_SUCCESSFUL',
      rollbackReason: 'lifecycle hook POST_TEST_TRAFFIC_SHIFT answered FAILED',
    });
    const failed = await progressRelease(fake.ports('tick-2'), target, fake.id);
    expect(failed.release?.state).toBe('FAILED');
    expect(failed.release?.failure?.reason).toBe(
      'service wsgi: ECS rolled the deployment back (ROLLBACK_SUCCESSFUL): lifecycle hook POST_TEST_TRAFFIC_SHIFT answered FAILED',
    );
    expect(fake.calls.stopServiceDeployment).toEqual([]);
  });

  it('stops a native deployment still moving when its step times out: StopServiceDeployment rolls it back', async () => {
    const fake = world();
    await progressRelease(fake.ports('tick-1'), target, fake.id);
    fake.advance(31 * 60_000);
    const stuck = await progressRelease(fake.ports('tick-2'), target, fake.id);
    expect(stuck.release?.failure?.kind).toBe('timeout');
    expect(fake.calls.stopServiceDeployment).toEqual([fake.arnOf()]);
    expect(fake.aws.serviceDeployments.get(fake.arnOf())?.status).toBe('ROLLBACK_REQUESTED');
    expect(fake.release(fake.id)?.timeline.at(-1)).toMatchObject({ step: 'native deployment stopped' });
  });

  it('records the deployment an interrupted try made instead of starting a second one', async () => {
    const fake = inMemoryWorld({ now: new Date(t0.getTime() + 1000), failOnce: ['indexDeployment'] });
    const release = rollingRelease(t0);
    fake.put(release);
    await expect(progressRelease(fake.ports('tick-1'), target, release.id)).rejects.toThrow(/injected/);
    await progressRelease(fake.ports('tick-2'), target, release.id);
    expect(fake.calls.startNativeDeployment).toHaveLength(1);
    expect(fake.release(release.id)?.rollout?.services.wsgi?.serviceDeploymentArn).toMatch(/service-deployment/);
  });
});
