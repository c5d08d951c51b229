import { describe, expect, it } from 'vitest';
import { stagesOf } from '../../../scripts/lib/native-player.js';

const shifts = (stages: string[]) => stages.filter((stage) => stage === 'PRODUCTION_TRAFFIC_SHIFT').length;

describe('the stages local mode plays', () => {
  it('walks a blue/green deployment through ECS’s stages, the smoke-check stage before any production traffic', () => {
    const stages = stagesOf({ strategy: 'BLUE_GREEN' });
    expect(stages).toEqual([
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ]);
  });

  it('shifts production traffic once per canary step and once per linear step', () => {
    expect(shifts(stagesOf({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5 } }))).toBe(2);
    expect(shifts(stagesOf({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 30 } }))).toBe(4);
    expect(shifts(stagesOf({ strategy: 'LINEAR' }))).toBe(10);
  });
});
