import type { SimulatedPolicy } from '../simulate.js';
import { cdkStepsPolicy } from './cdk-steps.js';
import { conductorPolicy } from './conductor.js';
import { fixedSingleTaskPolicy } from './fixed.js';
import { kedaDefaults, kedaMatched } from './keda.js';
import { targetTrackingAwsDefaults, targetTrackingCopilot } from './target-tracking.js';

/** The simulated policies in the order the tables show them; the clairvoyant bound is computed apart. */
export const POLICIES: readonly SimulatedPolicy[] = [
  conductorPolicy,
  targetTrackingCopilot,
  targetTrackingAwsDefaults,
  kedaMatched,
  kedaDefaults,
  cdkStepsPolicy,
  fixedSingleTaskPolicy,
];
