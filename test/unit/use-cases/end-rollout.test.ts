import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CurrentRelease } from '../../../src/aws/release-store.js';
import { parseConductorConfig } from '../../../src/config/load.js';
import type { Release } from '../../../src/domain/release.js';
import { endRollout, type EndRolloutPorts, type ReleaseNotice } from '../../../src/use-cases/end-rollout.js';

const config = parseConductorConfig(parse(readFileSync(new URL('../../../conductor.yml', import.meta.url), 'utf8')));
const now = new Date('2026-11-25T16:00:00Z');

function ended(
  state: Release['state'],
  environment: string,
  kind: 'deploy' | 'rollback' = 'deploy',
  rollingBackFrom?: string,
): Release {
  return {
    id: 'rel-new',
    environment,
    version: '2.0.0',
    sourceDigest: 'sha256:s',
    state,
    builds: {},
    triggeredBy: 'api',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    timeline: [],
    completedAt: now.toISOString(),
    rollout: {
      kind,
      attempt: 1,
      steps: [{ kind: 'task', task: 'deployment' }],
      stepIndex: 0,
      stepStartedAt: now.toISOString(),
      services: {},
      tasks: {},
      triggeredBy: 'api',
      lockOwner: 'rel-new@req',
      ...(rollingBackFrom ? { rollingBackFrom } : {}),
    },
  };
}

function fakePorts() {
  const log: string[] = [];
  const stored = new Map<string, Release>([['rel-old', { ...ended('COMPLETED', 'cgap-prod'), id: 'rel-old' }]]);
  let current: CurrentRelease | undefined;
  const ports: EndRolloutPorts = {
    releases: {
      get: (id) => Promise.resolve(stored.has(id) ? { release: stored.get(id) as Release, version: 1 } : undefined),
      update: (id, change) => {
        const next = change(stored.get(id) as Release);
        stored.set(id, next);
        return Promise.resolve(next);
      },
      unlockEnvironment: (environment, owner) => (log.push(`unlock ${environment} ${owner}`), Promise.resolve(true)),
      setCurrent: (environment, value) => (
        (current = value), log.push(`current ${environment} ${value.releaseId}`), Promise.resolve()
      ),
      current: () => Promise.resolve(current),
    },
    notify: (release, event: ReleaseNotice) => (log.push(`notify ${release.id} ${event}`), Promise.resolve()),
    rollBack: (environment, from, by) => (log.push(`rollback ${environment} from ${from} by ${by}`), Promise.resolve()),
    now: () => now,
  };
  return { ports, log, stored, current: () => current };
}

describe('endRollout', () => {
  it('frees the environment, records what it runs and notifies success', async () => {
    const { ports, log, current } = fakePorts();
    await endRollout(ports, config, ended('COMPLETED', 'cgap-mastertest'));
    expect(log).toEqual([
      'unlock cgap-mastertest rel-new@req',
      'current cgap-mastertest rel-new',
      'notify rel-new completed',
    ]);
    expect(current()).toEqual({
      releaseId: 'rel-new',
      since: now.toISOString(),
      deploymentTaskRunAt: now.toISOString(),
    });
  });

  it('marks the release a completed rollback replaced as ROLLED_BACK', async () => {
    const { ports, stored } = fakePorts();
    await endRollout(ports, config, ended('COMPLETED', 'cgap-prod', 'rollback', 'rel-old'));
    expect(stored.get('rel-old')?.state).toBe('ROLLED_BACK');
  });

  it('rolls back by itself after a failure where the environment asks for it (cgap-prod)', async () => {
    const { ports, log } = fakePorts();
    await endRollout(ports, config, ended('FAILED', 'cgap-prod'));
    expect(log).toEqual([
      'unlock cgap-prod rel-new@req',
      'notify rel-new failed',
      'rollback cgap-prod from rel-new by auto-rollback',
    ]);
  });

  it('does not roll back automatically where the environment does not ask, nor after a failed rollback', async () => {
    const mastertest = fakePorts();
    await endRollout(mastertest.ports, config, ended('FAILED', 'cgap-mastertest'));
    expect(mastertest.log.some((line) => line.startsWith('rollback'))).toBe(false);
    const prod = fakePorts();
    await endRollout(prod.ports, config, ended('FAILED', 'cgap-prod', 'rollback', 'rel-x'));
    expect(prod.log.some((line) => line.startsWith('rollback'))).toBe(false);
  });
});
