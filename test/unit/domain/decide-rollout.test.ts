import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConductorConfig } from '../../../src/config/load.js';
import { deploymentRerunDue, shouldAutoDeploy } from '../../../src/domain/auto-deploy.js';
import { decideRollout, type ObservedService } from '../../../src/domain/decide-rollout.js';
import { newRelease, recordBuildOutcome, type Release } from '../../../src/domain/release.js';
import { beginRollout, missingImages, planRollout, serviceRolling, taskStarted } from '../../../src/domain/rollout.js';
import type { Environment } from '../../../src/domain/environment.js';

const config = parseConductorConfig(parse(readFileSync(new URL('../../../conductor.yml', import.meta.url), 'utf8')));
const env = config.environments['cgap-mastertest'] as Environment;
const t0 = new Date('2026-11-25T15:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const SERVICES = ['wsgi', 'indexer', 'ingester'];

function builtRelease(version = '1.4.0'): Release {
  let release = newRelease(
    {
      environment: 'cgap-mastertest',
      version,
      sourceDigest: 'sha256:source',
      imageTags: Object.fromEntries(
        ['wsgi', 'indexer', 'ingester', 'deployment'].map((name) => [name, `${version}-${name}`]),
      ),
      triggeredBy: 'push:e',
    },
    t0,
  );
  for (const name of Object.keys(release.builds))
    release = recordBuildOutcome(release, name, { status: 'SUCCEEDED', digest: `sha256:${name}` }, t0);
  return release;
}

function deploying(): Release {
  return beginRollout(
    builtRelease(),
    planRollout(env, { kind: 'deploy' }),
    { kind: 'deploy', triggeredBy: 'api', lockOwner: 'x@1' },
    t0,
  );
}

function rolling(): Release {
  let release = deploying();
  for (const service of SERVICES)
    release = serviceRolling(release, service, `td/${service}:2`, `ecs-svc/${service}`, at(1));
  return release;
}

const observed = (service: string, rolloutState: string, taskDefinitionArn = `td/${service}:2`): ObservedService => ({
  taskDefinitionArn,
  deployments: [{ id: `ecs-svc/${service}`, rolloutState, rolloutStateReason: `${rolloutState.toLowerCase()} reason` }],
});

const allServices = (state: string) =>
  Object.fromEntries(SERVICES.map((service) => [service, observed(service, state)]));

describe('planRollout', () => {
  it("follows CGAP's documented order: services together, then the routine deployment task", () => {
    expect(planRollout(env, { kind: 'deploy' })).toEqual([
      { kind: 'services', services: SERVICES },
      { kind: 'task', task: 'deployment' },
    ]);
  });

  it('runs the deployment task first when the environment asks for migrations before services', () => {
    const first = { ...env, rollout: { ...env.rollout, order: 'deployment-first' as const } };
    expect(planRollout(first, { kind: 'deploy' })).toEqual([
      { kind: 'task', task: 'deployment' },
      { kind: 'services', services: SERVICES },
    ]);
  });

  it('runs only the task for a periodic re-run, and the named task when one is asked for', () => {
    expect(planRollout(env, { kind: 'rerun' })).toEqual([{ kind: 'task', task: 'deployment' }]);
    expect(planRollout(env, { kind: 'deploy', task: 'initial-deployment' })[1]).toEqual({
      kind: 'task',
      task: 'initial-deployment',
    });
  });

  it('names the entrypoints a partial build lacks, so the indexer never moves without the deployment image', () => {
    const partial = {
      ...builtRelease(),
      builds: { indexer: { imageTag: '1.4.0-indexer', status: 'SUCCEEDED' as const, digest: 'sha256:i' } },
    };
    expect(missingImages(partial, env, planRollout(env, { kind: 'deploy' }))).toEqual([
      'wsgi',
      'ingester',
      'deployment',
    ]);
  });
});

describe('decideRollout', () => {
  it('asks to roll every service of the first step', () => {
    expect(decideRollout(deploying(), env, {}, at(0)).actions).toEqual(
      SERVICES.map((service) => ({ kind: 'rollService', service })),
    );
  });

  it('waits while any service deployment is in progress', () => {
    const decision = decideRollout(
      rolling(),
      env,
      { services: { ...allServices('COMPLETED'), ingester: observed('ingester', 'IN_PROGRESS') } },
      at(2),
    );
    expect(decision.actions).toEqual([]);
    expect(decision.release.rollout?.stepIndex).toBe(0);
    expect(decision.release.rollout?.services.wsgi?.state).toBe('COMPLETED');
  });

  it('moves to the deployment task once every service deployment COMPLETED', () => {
    const decision = decideRollout(rolling(), env, { services: allServices('COMPLETED') }, at(3));
    expect(decision.release.rollout?.stepIndex).toBe(1);
    expect(decision.actions).toEqual([{ kind: 'runTask', task: 'deployment' }]);
  });

  it('fails when a COMPLETED deployment belongs to a circuit-breaker rollback (the service runs another revision)', () => {
    const decision = decideRollout(
      rolling(),
      env,
      { services: { ...allServices('COMPLETED'), wsgi: observed('wsgi', 'COMPLETED', 'td/wsgi:1') } },
      at(3),
    );
    expect(decision.release.state).toBe('FAILED');
    expect(decision.release.failure?.reason).toBe("service wsgi: service runs td/wsgi:1, not the release's td/wsgi:2");
    expect(decision.release.failure?.kind).toBe('service');
  });

  it('fails on a FAILED rollout state and on a SERVICE_DEPLOYMENT_FAILED event', () => {
    expect(
      decideRollout(
        rolling(),
        env,
        { services: { ...allServices('COMPLETED'), indexer: observed('indexer', 'FAILED') } },
        at(3),
      ).release.failure?.reason,
    ).toBe('service indexer: failed reason');
    const byEvent = decideRollout(
      rolling(),
      env,
      {
        failedDeployment: {
          deploymentId: 'ecs-svc/ingester',
          reason: 'ECS deployment circuit breaker: tasks failed to start.',
        },
      },
      at(3),
    );
    expect(byEvent.release.failure?.reason).toBe(
      'service ingester: ECS deployment circuit breaker: tasks failed to start.',
    );
  });

  it('fails a step that runs past its timeout', () => {
    const decision = decideRollout(rolling(), env, { services: allServices('IN_PROGRESS') }, at(31));
    expect(decision.release.state).toBe('FAILED');
    expect(decision.release.failure).toMatchObject({
      kind: 'timeout',
      reason: 'services wsgi, indexer, ingester did not finish within 30 minutes',
    });
  });

  describe('the deployment task', () => {
    const running = () =>
      taskStarted(
        decideRollout(rolling(), env, { services: allServices('COMPLETED') }, at(3)).release,
        'deployment',
        'td/dep:2',
        'task/1',
        at(4),
      );
    const stopped = (containers: { name: string; exitCode?: number }[], stopCode = 'EssentialContainerExited') => ({
      task: { lastStatus: 'STOPPED', stopCode, stoppedReason: 'reason', containers },
    });

    it('completes the release when the essential container exits 0', () => {
      const decision = decideRollout(running(), env, stopped([{ name: 'app', exitCode: 0 }]), at(9));
      expect(decision.release.state).toBe('COMPLETED');
      expect(decision.release.completedAt).toBe(at(9).toISOString());
    });

    it.each([
      [
        'a non-zero exit',
        [{ name: 'app', exitCode: 2 }],
        'EssentialContainerExited',
        'task deployment: container app exited with code 2',
      ],
      [
        'no exit code (failed to start)',
        [{ name: 'app' }],
        'TaskFailedToStart',
        'task deployment: task stopped without an exit code: reason',
      ],
      ['no container at all', [], 'TaskFailedToStart', 'task deployment: task stopped without an exit code: reason'],
    ])('fails the release on %s', (_name, containers, stopCode, reason) => {
      const decision = decideRollout(running(), env, stopped(containers, stopCode), at(9));
      expect(decision.release.state).toBe('FAILED');
      expect(decision.release.failure).toMatchObject({ kind: 'task', step: 'task deployment', reason });
    });

    it('leaves a running task alone, and a finished release as it is', () => {
      expect(
        decideRollout(running(), env, { task: { lastStatus: 'RUNNING', containers: [] } }, at(9)).release.state,
      ).toBe('DEPLOYING');
      const done = decideRollout(running(), env, stopped([{ name: 'app', exitCode: 0 }]), at(9)).release;
      expect(decideRollout(done, env, stopped([{ name: 'app', exitCode: 1 }]), at(10))).toEqual({
        release: done,
        actions: [],
      });
    });
  });
});

describe('automatic rollouts', () => {
  it('auto-deploys a built release whose version matches the pattern, once', () => {
    expect(shouldAutoDeploy(env, builtRelease('0a1b2c3d4e'))).toBe(true);
    expect(shouldAutoDeploy(env, builtRelease('1.4.0'))).toBe(false);
    expect(shouldAutoDeploy(env, deploying())).toBe(false);
  });

  it('re-runs the deployment task when it last ran N days ago', () => {
    expect(deploymentRerunDue(env, { deploymentTaskRunAt: at(-80 * 24 * 60).toISOString() }, t0)).toBe(true);
    expect(deploymentRerunDue(env, { deploymentTaskRunAt: at(-79 * 24 * 60).toISOString() }, t0)).toBe(false);
  });
});
