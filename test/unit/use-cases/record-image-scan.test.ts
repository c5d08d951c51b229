import { describe, expect, it } from 'vitest';
import type { Environments } from '../../../src/domain/environment.js';
import { recordImageScan } from '../../../src/use-cases/record-image-scan.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, environment } from '../../support/release-fixtures.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const base = environment('cgap-mastertest');
/** cgap-mastertest auto-deploys SHAs; here it also gates on scans. */
const environments: Environments = {
  'cgap-mastertest': {
    ...base,
    gates: { scan: { failAt: 'CRITICAL', waitSeconds: 0, scanner: 'basic' }, override: [] },
  },
  'cgap-prod': environment('cgap-prod'),
};
const VERSION = '0123456789abcdef0123456789abcdef01234567';

function world() {
  const w = inMemoryWorld({ now: T0 });
  const release = builtRelease('cgap-mastertest', VERSION, T0);
  w.put(release);
  const digests = [...new Set(Object.values(release.builds).map((build) => build.digest ?? ''))];
  return { w, release, digests };
}

describe('recordImageScan (an ECR Image Scan event)', () => {
  it('records the result on the release with that image, and auto-deploys it once every image scanned clean', async () => {
    const { w, release, digests } = world();
    const [first = '', ...rest] = digests;
    for (const digest of rest) w.aws.scans.set(digest, { status: 'COMPLETE', counts: {} });
    w.aws.scans.set(first, { status: 'COMPLETE', counts: { LOW: 2 } });
    const scan = { repository: 'cgap-mastertest', digest: first, status: 'COMPLETE', counts: { LOW: 2 } };

    const recorded = await recordImageScan(w.ports('scan-1'), environments, scan, 'req-1');

    expect(recorded).toEqual([
      {
        releaseId: release.id,
        environment: 'cgap-mastertest',
        autoDeploy: expect.objectContaining({ kind: 'started' }) as unknown,
      },
    ]);
    expect(w.release(release.id)?.timeline).toContainEqual(
      expect.objectContaining({ step: 'image scan COMPLETE', detail: `cgap-mastertest@${first}: LOW 2` }),
    );
    expect(w.release(release.id)?.state).toBe('DEPLOYING');
  });

  it('defers the auto-deploy while the scan gate refuses, and a redelivered event adds no second line', async () => {
    const { w, release, digests } = world();
    const [first = ''] = digests;
    for (const digest of digests) w.aws.scans.set(digest, { status: 'COMPLETE', counts: { CRITICAL: 1 } });
    const scan = { repository: 'cgap-mastertest', digest: first, status: 'COMPLETE', counts: { CRITICAL: 1 } };

    const [once] = await recordImageScan(w.ports('scan-1'), environments, scan, 'req-1');
    await recordImageScan(w.ports('scan-2'), environments, scan, 'req-2');

    expect(once?.autoDeploy).toMatchObject({
      kind: 'deferred',
      reason: expect.stringContaining('CRITICAL 1') as string,
    });
    expect(w.release(release.id)?.state).toBe('BUILT');
    expect(w.release(release.id)?.timeline.filter((entry) => entry.step === 'image scan COMPLETE')).toHaveLength(1);
  });

  it('leaves alone environments without a scan gate and other images', async () => {
    const { w, release } = world();
    const other = { repository: 'cgap-mastertest', digest: `sha256:${'f'.repeat(64)}`, status: 'COMPLETE', counts: {} };
    expect(await recordImageScan(w.ports('scan-1'), environments, other, 'req-1')).toEqual([]);
    const ungated = { 'cgap-mastertest': base };
    const [digest = ''] = Object.values(release.builds).map((build) => build.digest ?? '');
    expect(await recordImageScan(w.ports('scan-2'), ungated, { ...other, digest }, 'req-2')).toEqual([]);
    expect(w.release(release.id)?.timeline).toEqual(release.timeline);
  });
});
