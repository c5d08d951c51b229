import * as z from 'zod';
import type { ScalingDecisionPoint, ScalingSample } from '../domain/scaling-history.js';
import { SCALING_HISTORY_PATH, SCALING_HISTORY_RETENTION_HOURS } from './scaling-history-path.js';

/**
 * Proposed API contract: what the autoscaler saw and did for one queue-driven service over the last
 * hours, for the console's queue chart. Kept by the autoscaler as one compact item per service per
 * hour (src/aws/scaling-history-store.ts), expiring after `SCALING_HISTORY_RETENTION_HOURS`.
 *
 * GET /environments/{env}/services/{service}/scaling-history?hours=6  (access: read)
 */

export { SCALING_HISTORY_PATH, SCALING_HISTORY_RETENTION_HOURS };

export const scalingHistoryQuerySchema = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(SCALING_HISTORY_RETENTION_HOURS)
    .default(6)
    .describe('how many hours back from now'),
});

export const scalingSampleSchema: z.ZodType<ScalingSample> = z.object({
  at: z.string().describe('when the autoscaler looked (at most one sample a minute)'),
  visible: z.int().describe('ApproximateNumberOfMessages'),
  inFlight: z.int().describe('ApproximateNumberOfMessagesNotVisible'),
  desired: z.int().describe("the service's desired count as ECS reported it"),
  running: z.int().describe("the service's running count as ECS reported it"),
});

export const scalingDecisionSchema: z.ZodType<ScalingDecisionPoint> = z.object({
  at: z.string(),
  from: z.int().describe('desired count before'),
  to: z.int().describe('desired count the autoscaler set'),
  reason: z.string().describe("the decision's one line, with the numbers behind it"),
  usualWakeup: z
    .int()
    .optional()
    .describe(
      "what the autoscaler has learned of its wake-ups from zero: the count the next one starts at (the tasks the last week's wake-ups used); 0 when it remembers none",
    ),
});

export const scalingHistorySchema = z.object({
  environment: z.string(),
  service: z.string().describe('the service key from the config'),
  queue: z.string().describe('the queue key from the config'),
  from: z.string().describe('start of the window (ISO time)'),
  to: z.string().describe('end of the window: now'),
  minTasks: z.int(),
  maxTasks: z.int(),
  samples: z.array(scalingSampleSchema).describe('oldest first, one a minute at most; gaps where no check ran'),
  decisions: z.array(scalingDecisionSchema).describe('each change of desired count the autoscaler made, oldest first'),
});

export type ScalingHistoryQuery = z.output<typeof scalingHistoryQuerySchema>;
// The domain's types: the schemas above are declared to produce them.
export type { ScalingDecisionPoint, ScalingSample };
export type ScalingHistory = z.output<typeof scalingHistorySchema>;
