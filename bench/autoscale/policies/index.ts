import type { SimulatedPolicy } from '../simulate.js';
import { cdkStepsPolicy } from './cdk-steps.js';
import { conductorPolicy } from './conductor.js';
import { fixedSingleTaskPolicy } from './fixed.js';
import { kedaPolicy } from './keda.js';
import { targetTrackingPolicy } from './target-tracking.js';

/** The simulated policies in the order the tables show them; the clairvoyant bound is computed apart. */
export const POLICIES: readonly SimulatedPolicy[] = [
  conductorPolicy,
  targetTrackingPolicy,
  kedaPolicy,
  cdkStepsPolicy,
  fixedSingleTaskPolicy,
];
