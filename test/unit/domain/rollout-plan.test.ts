import { describe, expect, it } from 'vitest';
import { beginRollout, planRollout } from '../../../src/domain/rollout.js';
import { rolloutPlan } from '../../../src/domain/rollout-plan.js';
import { builtRelease, environment } from '../../support/release-fixtures.js';
import type { Environment } from '../../../src/domain/environment.js';

const AT = new Date('2026-11-25T15:00:00Z');
const ENV = 'cgap-mastertest';
const meta = { kind: 'deploy' as const, triggeredBy: 't', lockOwner: 'o' };

describe('a rollout plan as a person reads it', () => {
  it('lists the services together at their images, then the deployment task waiting for them', () => {
    const env = environment(ENV);
    const release = beginRollout(builtRelease(ENV, '1.4.0', AT), planRollout(env, { kind: 'deploy' }), meta, AT);
    const image = (name: string) => ({
      name,
      entrypoint: name,
      imageTag: `1.4.0-${name}`,
      digest: release.builds[name]?.digest,
    });
    expect(rolloutPlan(release, env)).toEqual([
      { kind: 'services', waitsForPrevious: false, targets: ['wsgi', 'indexer', 'ingester'].map(image) },
      { kind: 'task', waitsForPrevious: true, targets: [image('deployment')] },
    ]);
  });

  it('follows deployment-first order, a named task, and a service running another entrypoint’s image', () => {
    const base = environment(ENV);
    const env: Environment = {
      ...base,
      rollout: { ...base.rollout, order: 'deployment-first', services: ['wsgi'] },
      services: {
        ...base.services,
        wsgi: { ...(base.services.wsgi as NonNullable<typeof base.services.wsgi>), entrypoint: 'indexer' },
      },
    };
    const steps = planRollout(env, { kind: 'deploy', task: 'initial-deployment' });
    const release = beginRollout(builtRelease(ENV, '1.4.0', AT), steps, meta, AT);
    const plan = rolloutPlan(release, env);
    expect(
      plan.map((step) => [step.kind, step.waitsForPrevious, step.targets.map((t) => `${t.name}@${t.entrypoint}`)]),
    ).toEqual([
      ['task', false, ['initial-deployment@deployment']],
      ['services', true, ['wsgi@indexer']],
    ]);
    expect(plan[1]?.targets[0]?.digest).toBe(release.builds.indexer?.digest);
  });

  it('is empty for a release never rolled out', () => {
    expect(rolloutPlan(builtRelease(ENV, '1.4.0', AT), environment(ENV))).toEqual([]);
  });
});
