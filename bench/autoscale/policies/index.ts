import type { SimulatedPolicy } from '../simulate.js';
import { cdkStepsPolicy, cdkStepsServiceBounds } from './cdk-steps.js';
import { conductorPolicy } from './conductor.js';
import { fixedSingleTaskPolicy } from './fixed.js';
import { kedaDefaults, kedaMatched } from './keda.js';
import {
  targetTrackingAwsDefaults,
  targetTrackingAwsDefaultsAtLeast,
  targetTrackingCopilot,
  targetTrackingCopilotAtLeast,
} from './target-tracking.js';

/**
 * The simulated policies in the order the tables show them; the clairvoyant bound is computed apart.
 * Every one but the conductor is a baseline the goal compares with.
 */
export const POLICIES: readonly SimulatedPolicy[] = [
  conductorPolicy,
  targetTrackingCopilot,
  targetTrackingCopilotAtLeast,
  targetTrackingAwsDefaults,
  targetTrackingAwsDefaultsAtLeast,
  kedaMatched,
  kedaDefaults,
  cdkStepsPolicy,
  cdkStepsServiceBounds,
  fixedSingleTaskPolicy,
];
