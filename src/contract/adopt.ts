import * as z from 'zod';
import { releaseViewSchema } from './releases.js';

/** Requests and replies of adopting an environment and of running its routine deployment task now. */

export const adoptRequestSchema = z.strictObject({});

export const adoptionViewSchema = z.object({
  release: releaseViewSchema.describe('the baseline release: what ECS runs now, COMPLETED, `adopted` set'),
  recordedNow: z.boolean().describe('false when the environment already ran exactly these images (nothing recorded)'),
  // Loose: the current record also carries the routine re-run's backoff once a re-run failed (or was aborted).
  current: z
    .object({
      releaseId: z.string(),
      since: z.string(),
      deploymentTaskRunAt: z
        .string()
        .nullable()
        .describe(
          "the routine task's last run ECS still shows, the re-run clock starting there; null when it shows none: the re-run is due within the hour",
        ),
    })
    .loose(),
});

export const redeployRequestSchema = z.strictObject({});
