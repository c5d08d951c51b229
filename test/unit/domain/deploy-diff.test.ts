import { describe, expect, it } from 'vitest';
import { deployChanges, gatesThatApply } from '../../../src/domain/deploy-diff.js';
import type { Environment, ServiceSettings } from '../../../src/domain/environment.js';
import { planRollout } from '../../../src/domain/rollout.js';
import { builtRelease, environment } from '../../support/release-fixtures.js';

const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app';
const base = environment('cgap-mastertest');
const env: Environment = {
  ...base,
  services: {
    ...base.services,
    wsgi: { ...(base.services.wsgi as ServiceSettings), environment: { WORKERS: '4' }, stopTimeout: 90 },
  },
};
const release = builtRelease('cgap-mastertest', '1.6.0', new Date('2026-12-01T00:00:00Z'));
const after = (entrypoint: string) => `${URI}@${release.builds[entrypoint]?.digest ?? ''}`;
const definition = (family: string, image: string) => ({
  arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:7`,
  family,
  revision: 7,
  containers: [{ name: 'app', image }],
});

describe('deployChanges', () => {
  const steps = planRollout(env, { kind: 'deploy' });

  it('gives each service and the task its image before and after, with the settings the config writes', () => {
    const running = {
      services: {
        wsgi: definition('wsgi', `${URI}@sha256:old`),
        indexer: definition('indexer', after('indexer')),
        ingester: undefined,
      },
      tasks: { deployment: definition('deployment', `${URI}:1.5.0-deployment`) },
    };
    const changes = deployChanges(env, release, steps, URI, running);
    expect(changes.map((change) => [change.kind, change.name])).toEqual([
      ['service', 'wsgi'],
      ['service', 'indexer'],
      ['service', 'ingester'],
      ['task', 'deployment'],
    ]);
    expect(changes[0]).toEqual({
      kind: 'service',
      name: 'wsgi',
      container: 'app',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/wsgi:7',
      imageBefore: `${URI}@sha256:old`,
      imageAfter: after('wsgi'),
      settings: { environment: { WORKERS: '4' }, stopTimeout: 90 },
      settingsBefore: { environment: {} },
      changes: true,
    });
    expect(changes[1]).toMatchObject({ imageBefore: after('indexer'), changes: false, settings: {} });
    expect(changes[2]).toMatchObject({ taskDefinition: null, imageBefore: null, changes: true });
    expect(changes[3]).toMatchObject({ imageBefore: `${URI}:1.5.0-deployment`, imageAfter: after('deployment') });
  });

  it('compares the settings with the container’s own, so a setting alone is a change', () => {
    const container = { name: 'app', image: after('wsgi'), environment: { WORKERS: '2', OTHER: 'x' }, stopTimeout: 30 };
    const running = { services: { wsgi: { ...definition('wsgi', ''), containers: [container] } }, tasks: {} };
    const [wsgi] = deployChanges(env, release, steps, URI, running);
    expect(wsgi).toMatchObject({
      imageBefore: after('wsgi'),
      settingsBefore: { environment: { WORKERS: '2' }, stopTimeout: 30 },
      changes: true,
    });
    const same = { ...container, environment: { WORKERS: '4' }, stopTimeout: 90 };
    const unchanged = { services: { wsgi: { ...definition('wsgi', ''), containers: [same] } }, tasks: {} };
    expect(deployChanges(env, release, steps, URI, unchanged)[0]).toMatchObject({ changes: false });
  });

  it('says when the release built no image for an entrypoint, and when the container is not in the definition', () => {
    const wsgiOnly = Object.entries(release.builds).filter(([entrypoint]) => entrypoint === 'wsgi');
    const partial = { ...release, builds: Object.fromEntries(wsgiOnly) };
    const running = { services: { wsgi: { ...definition('wsgi', 'x'), containers: [] } }, tasks: {} };
    const [wsgi, indexer] = deployChanges(env, partial, steps, URI, running);
    expect(wsgi).toMatchObject({ imageBefore: null, imageAfter: after('wsgi') });
    expect(indexer).toMatchObject({ imageAfter: null });
  });
});

describe('gatesThatApply', () => {
  it('names none for an environment without gates', () => {
    expect(gatesThatApply({ ...env, gates: undefined })).toEqual([]);
  });

  it('names each configured gate in one line', () => {
    const gated: Environment = {
      ...env,
      gates: {
        scan: { failAt: 'HIGH', waitSeconds: 60, scanner: 'basic' },
        promoteFrom: 'cgap-mastertest',
        approval: { approve: ['arn:aws:iam::1:role/lead'], fourEyes: true, expiresAfterMinutes: 60 },
        alarms: ['{service}-5xx'],
        override: [],
      },
    };
    expect(gatesThatApply(gated)).toEqual([
      'scan: refuses findings at HIGH or above',
      'promotion: the same digests must have completed in cgap-mastertest',
      'approval: waits for one of arn:aws:iam::1:role/lead',
      'alarms: {service}-5xx watched through the rollout and a bake of 10 minutes; one in ALARM rolls back',
    ]);
  });
});
