import { describe, expect, it } from 'vitest';
import { deployChoices } from '../../../../src/console/web/actions/deploy-choices.js';
import type { Release } from '../../../../src/domain/release.js';
import { buildingRelease, builtRelease, completedRelease } from '../../../support/release-fixtures.js';

const ENV = 'cgap-mastertest';
const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 9, minute, 0));

describe('the releases the deploy dialog offers', () => {
  it('lists deployable releases only, newest good first: a failed or rolled-back one is never first', () => {
    const completed = completedRelease(ENV, '1.4.0', at(1));
    const built = builtRelease(ENV, '1.5.0', at(2));
    const rolledBack: Release = { ...completedRelease(ENV, '1.6.0', at(3)), state: 'ROLLED_BACK' };
    const rolloutFailed: Release = { ...completedRelease(ENV, '1.7.0', at(4)), state: 'FAILED' };
    const buildFailed: Release = { ...buildingRelease(ENV, '1.8.0', at(5)), state: 'FAILED' };
    const building = buildingRelease(ENV, '1.9.0', at(6));
    const deploying: Release = { ...completedRelease(ENV, '2.0.0', at(7)), state: 'DEPLOYING' };
    const newestFirst = [deploying, building, buildFailed, rolloutFailed, rolledBack, built, completed];
    expect(deployChoices(newestFirst).map((release) => release.version)).toEqual(['1.5.0', '1.4.0', '1.6.0', '1.7.0']);
  });

  it('orders by creation, whatever order the page was given', () => {
    const older = builtRelease(ENV, '1.5.0', at(2));
    const newer = builtRelease(ENV, '1.5.1', at(3));
    expect(deployChoices([older, newer]).map((release) => release.version)).toEqual(['1.5.1', '1.5.0']);
  });
});
