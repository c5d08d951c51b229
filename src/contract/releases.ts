import * as z from 'zod';
import { IMAGE_TAG, IMAGE_TAG_RULE } from '../domain/names.js';
import { RELEASE_STATES } from '../domain/release-states.js';

/** Requests and replies of the release routes: builds, deployments, rollbacks and release history. */

const imageTag = z.string().regex(IMAGE_TAG, IMAGE_TAG_RULE);

export const buildRequestSchema = z.strictObject({
  version: imageTag,
  entrypoints: z.array(z.string().min(1).max(64)).min(1).max(32).optional(),
});

export const releaseBuildsViewSchema = z.object({
  releaseId: z.string(),
  environment: z.string(),
  version: z.string(),
  sourceDigest: z.string(),
  state: z.string(),
  builds: z.record(z.string(), z.object({ imageTag: z.string(), status: z.string(), buildId: z.string().nullable() })),
  startedNow: z
    .array(z.string())
    .describe('entrypoints whose build this request started (empty when it found them started)'),
});

/** The environment's name repeated: required on a production environment, and for a destructive task. */
export const confirmField = z
  .string()
  .max(64)
  .optional()
  .describe('the environment name: required where the environment is production, and for a destructive task');

export const deployRequestSchema = z.strictObject({
  version: imageTag.describe('the release version (source image tag) to roll out'),
  task: z.string().min(1).max(64).optional().describe('a deployment task other than the routine one'),
  confirm: confirmField,
  override: z
    .strictObject({ reason: z.string().trim().min(3).max(500) })
    .optional()
    .describe('pass refusing release gates anyway, with the reason (callers on the environment’s gates.override list)'),
});

export const rollbackRequestSchema = z.strictObject({ confirm: confirmField });

/** POST /environments/{env}/abort: stop the release that moves now. */
export const abortRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional().describe('why, for the release’s failure, timeline and notices'),
  confirm: confirmField,
});

/** An approver's answer to a deploy waiting at the approval gate. */
export const approvalAnswerSchema = z.strictObject({
  version: imageTag.describe('the version whose deploy awaits approval'),
  reason: z.string().trim().min(1).max(500).optional().describe('why, for the timeline and notices'),
});

export const releasesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page')
    .optional(),
});

/** A release as GET /releases/{id} and the rollout routes return it. Loose: clients ignore fields a newer API adds. */
export const releaseViewSchema = z
  .object({
    id: z.string(),
    environment: z.string(),
    version: z.string(),
    sourceDigest: z.string(),
    state: z.enum(RELEASE_STATES),
    builds: z.record(
      z.string(),
      z.object({
        imageTag: z.string(),
        status: z.string(),
        buildId: z.string().optional(),
        digest: z.string().optional(),
      }),
    ),
    triggeredBy: z.string(),
    buildAttempt: z.int().optional().describe('which build of the source image, when not the first (a rebuild)'),
    createdAt: z.string(),
    updatedAt: z.string(),
    timeline: z.array(z.object({ at: z.string(), step: z.string(), detail: z.string().optional() })),
    failure: z
      .object({
        kind: z.string().optional().describe('what ended it, e.g. service, task, timeout, alarm, aborted'),
        step: z.string(),
        reason: z.string(),
        buildId: z.string().optional(),
        phase: z.string().optional(),
        logLink: z.string().optional(),
        alarm: z
          .object({ name: z.string(), changedAt: z.string(), reason: z.string().optional() })
          .optional()
          .describe('the watched CloudWatch alarm that went to ALARM, and when (its StateUpdatedTimestamp)'),
        aborted: z
          .object({
            by: z.string(),
            at: z.string(),
            reason: z.string().optional(),
            rollsBackTo: z.string().optional(),
          })
          .optional()
          .describe('for kind aborted: who stopped the rollout, when, why, and what ECS rolls back to'),
        rolledBackTo: z
          .object({ releaseId: z.string(), version: z.string() })
          .optional()
          .describe('the release the automatic rollback that followed went back to'),
      })
      .loose()
      .optional(),
    rollout: z.object({ kind: z.string(), attempt: z.int(), stepIndex: z.int() }).loose().optional(),
    completedAt: z.string().optional(),
  })
  .loose();

export type ReleaseView = z.output<typeof releaseViewSchema>;

/** A rollout's ordered steps: what each updates or runs, at which image, and whether it waits for the one before. */
export const rolloutPlanSchema = z.array(
  z.object({
    kind: z.enum(['services', 'task']).describe('services update together; a task runs to its exit'),
    waitsForPrevious: z.boolean().describe('true when the step starts only once the one before completed'),
    targets: z.array(
      z.object({
        name: z.string().describe('the service key or deployment task name'),
        entrypoint: z.string(),
        imageTag: z.string().optional(),
        digest: z.string().optional(),
      }),
    ),
  }),
);

/** What the rollout routes (deploy, rollback, redeploy) answer: the release now rolling out, with its plan. */
/** Whether the deployment gate can see a failed deployment (domain/deployment-gate.ts). */
export const deploymentGateSchema = z
  .object({ blind: z.boolean(), reason: z.string().optional() })
  .describe("blind: the deployment task's exit code does not tell a failed deployment (stock CGAP entrypoints)");

export const rolloutViewSchema = releaseViewSchema.extend({
  plan: rolloutPlanSchema.describe('the rollout’s steps, in order'),
  // Optional: APIs older than this field do not send it.
  deploymentGate: deploymentGateSchema.optional(),
});

/** POST /environments/{env}/rollback: the release rolled back to, and the one it replaces. */
export const rollbackViewSchema = rolloutViewSchema.extend({
  rolledBackFrom: z
    .object({ releaseId: z.string(), version: z.string() })
    .describe('the release the environment ran (or failed to deploy) before this rollback'),
  summary: z.string().describe('e.g. "rolling back from 1.7.0 (rel-…) to 1.4.0 (rel-…)"'),
});

export const releasePageSchema = z.object({ releases: z.array(releaseViewSchema), cursor: z.string().optional() });
