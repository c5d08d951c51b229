import { describe, expect, it } from 'vitest';
import { rollbackPair } from '../../../../src/console/web/actions/rollback-pair.js';
import { aRelease } from '../../../support/release-pages.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 12, minute)).toISOString();
/** Completed `completedMinute` minutes past noon; created `createdMinute` past noon. */
const completed = (id: string, version: string, createdMinute: number, completedMinute: number) =>
  aRelease({ id, version, state: 'COMPLETED', createdAt: at(createdMinute), completedAt: at(completedMinute) });

describe('the rollback the dialog shows before asking', () => {
  it('goes from what runs to what ran before it, though that was created later (the list is newest first)', () => {
    // 2.0.0 was built first but deployed after c0ffee5: the environment runs 2.0.0, c0ffee5 ran before it.
    const releases = [
      completed('rel-c0ffee5', 'c0ffee5', 10, 12),
      completed('rel-200', '2.0.0', 5, 20),
      completed('rel-150', '1.5.0', 1, 3),
    ];
    const pair = rollbackPair({ version: '2.0.0', releaseId: 'rel-200', digest: 'sha256:x' }, releases);
    expect([pair.fromVersion, pair.to?.version]).toEqual(['2.0.0', 'c0ffee5']);
  });

  it('steps past a rolled-back release and one that failed, to the last that completed before', () => {
    const releases = [
      aRelease({ id: 'rel-bad', version: 'badc0de', state: 'FAILED', createdAt: at(30) }),
      aRelease({ id: 'rel-170', version: '1.7.0', state: 'ROLLED_BACK', createdAt: at(20), completedAt: at(21) }),
      completed('rel-140', '1.4.0', 1, 25),
      completed('rel-150', '1.5.0', 10, 11),
    ];
    const pair = rollbackPair({ version: '1.4.0', releaseId: 'rel-140', digest: 'sha256:x' }, releases);
    expect([pair.fromVersion, pair.to?.version]).toEqual(['1.4.0', '1.5.0']);
  });

  it('names the running version but no target when the history shown has no earlier completed release', () => {
    const only = [completed('rel-150', '1.5.0', 1, 3)];
    expect(rollbackPair({ version: '1.5.0', releaseId: 'rel-150', digest: 'sha256:x' }, only)).toEqual({
      fromVersion: '1.5.0',
      to: undefined,
    });
    expect(rollbackPair({ version: '0.9.0', releaseId: 'rel-older', digest: 'sha256:x' }, only).to).toBeUndefined();
    expect(rollbackPair(null, only)).toEqual({});
  });
});
