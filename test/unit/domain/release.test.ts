import { describe, expect, it } from 'vitest';
import {
  newImageRelease,
  newRelease,
  recordBuildOutcome,
  recordBuildStarted,
  releaseIdFor,
  type Release,
} from '../../../src/domain/release.js';

const t0 = new Date('2026-11-25T15:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

function building(): Release {
  let release = newRelease(
    {
      environment: 'cgap-mastertest',
      version: '1.4.0',
      sourceDigest: digest(1),
      imageTags: { wsgi: '1.4.0-wsgi', indexer: '1.4.0-indexer' },
      triggeredBy: 'push:evt-1',
    },
    t0,
  );
  release = recordBuildStarted(release, 'wsgi', 'proj:b-wsgi', later(1));
  return recordBuildStarted(release, 'indexer', 'proj:b-indexer', later(2));
}

describe('release builds', () => {
  it('identifies a release by environment, source digest and entrypoints', () => {
    expect(releaseIdFor('e', digest(1), ['b', 'a'])).toBe(releaseIdFor('e', digest(1), ['a', 'b']));
    expect(releaseIdFor('e', digest(1), ['a'])).not.toBe(releaseIdFor('e', digest(2), ['a']));
    expect(releaseIdFor('e', digest(1), ['a'])).toMatch(/^rel-[0-9a-f]{20}$/);
  });

  it('starts BUILDING with every entrypoint pending', () => {
    const release = newRelease(
      {
        environment: 'e',
        version: '1.0.0',
        sourceDigest: digest(1),
        imageTags: { wsgi: '1.0.0-wsgi' },
        triggeredBy: 'api',
      },
      t0,
    );
    expect(release).toMatchObject({
      state: 'BUILDING',
      builds: { wsgi: { imageTag: '1.0.0-wsgi', status: 'PENDING' } },
    });
    expect(release.timeline).toHaveLength(1);
  });

  it('is BUILT once every entrypoint succeeded with a digest', () => {
    let release = recordBuildOutcome(building(), 'wsgi', { status: 'SUCCEEDED', digest: digest(2) }, later(60));
    expect(release.state).toBe('BUILDING');
    release = recordBuildOutcome(release, 'indexer', { status: 'SUCCEEDED', digest: digest(3) }, later(70));
    expect(release.state).toBe('BUILT');
    expect(release.builds).toEqual({
      wsgi: { imageTag: '1.4.0-wsgi', status: 'SUCCEEDED', buildId: 'proj:b-wsgi', digest: digest(2) },
      indexer: { imageTag: '1.4.0-indexer', status: 'SUCCEEDED', buildId: 'proj:b-indexer', digest: digest(3) },
    });
    expect(release.timeline.at(-1)).toEqual({ at: later(70).toISOString(), step: 'release built' });
  });

  it.each(['FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'] as const)(
    'fails on a %s build with the build, phase and log link',
    (status) => {
      const release = recordBuildOutcome(
        building(),
        'indexer',
        { status, phase: 'BUILD', logLink: 'https://logs/x' },
        later(90),
      );
      expect(release.state).toBe('FAILED');
      expect(release.failure).toEqual({
        kind: 'build',
        step: 'build indexer',
        reason: `build of indexer ${status} in phase BUILD`,
        buildId: 'proj:b-indexer',
        phase: 'BUILD',
        logLink: 'https://logs/x',
      });
    },
  );

  it('stays FAILED when another build succeeds afterwards', () => {
    let release = recordBuildOutcome(building(), 'indexer', { status: 'FAILED' }, later(90));
    release = recordBuildOutcome(release, 'wsgi', { status: 'SUCCEEDED', digest: digest(2) }, later(95));
    expect(release.state).toBe('FAILED');
    expect(release.builds.wsgi?.status).toBe('SUCCEEDED');
  });

  it('returns the same object for a repeated outcome, so a redelivered event writes nothing', () => {
    const once = recordBuildOutcome(building(), 'wsgi', { status: 'SUCCEEDED', digest: digest(2) }, later(60));
    expect(recordBuildOutcome(once, 'wsgi', { status: 'SUCCEEDED', digest: digest(2) }, later(61))).toBe(once);
  });
});

describe('single-image releases', () => {
  const pushed = {
    environment: 'cgap-single',
    version: '0ddba11c0ffee',
    sourceDigest: digest(7),
    entrypoints: ['wsgi', 'deployment'],
    triggeredBy: 'push:evt-9',
  };

  it('are BUILT when recorded, every entrypoint SUCCEEDED at the pushed digest under the pushed tag', () => {
    const release = newImageRelease(pushed, t0);
    expect(release).toMatchObject({ state: 'BUILT', version: '0ddba11c0ffee', sourceDigest: digest(7) });
    expect(release.builds).toEqual({
      wsgi: { imageTag: '0ddba11c0ffee', status: 'SUCCEEDED', digest: digest(7) },
      deployment: { imageTag: '0ddba11c0ffee', status: 'SUCCEEDED', digest: digest(7) },
    });
    expect(release.timeline.map((entry) => entry.step)).toEqual(['release recorded', 'release built']);
  });

  it('take the id a push of the same digest always gets, whatever the tag or trigger', () => {
    const again = newImageRelease({ ...pushed, version: '1.5.0', triggeredBy: 'push:evt-10' }, later(60));
    expect(again.id).toBe(newImageRelease(pushed, t0).id);
    expect(again.id).toBe(releaseIdFor('cgap-single', digest(7), ['deployment', 'wsgi']));
  });
});
