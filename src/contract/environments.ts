import * as z from 'zod';
import { RELEASE_STATES } from '../domain/release-states.js';
import { deploymentGateSchema } from './releases.js';

/** Replies of GET /environments and GET /environments/{env}. */

export const releaseSummarySchema = z.object({
  id: z.string(),
  version: z.string(),
  state: z.enum(RELEASE_STATES),
  currentStep: z.string().nullable().describe("the release's latest timeline step"),
  updatedAt: z.string(),
  failure: z
    .string()
    .optional()
    .describe('why it failed (an alarm: which, and when), and where the automatic rollback went back to'),
});

export const environmentSummarySchema = z.object({
  name: z.string(),
  cluster: z.string(),
  state: z
    .string()
    .describe(
      'one line: "idle", "deploying 1.4.0 (rel-…)", "running 1.4.0; last release 1.7.0 ROLLED_BACK", "last release 1.3.9 FAILED"',
    ),
  activeRelease: releaseSummarySchema.nullable(),
});

export const environmentListSchema = z.object({ environments: z.array(environmentSummarySchema) });

export const serviceStatusSchema = z.object({
  key: z.string(),
  name: z.string(),
  status: z.string().describe('ACTIVE, DRAINING, INACTIVE, or MISSING when ECS does not know the service'),
  version: z.string().nullable().describe("the running release's version when the service runs one of its images"),
  desiredCount: z.int().nullable(),
  runningCount: z.int().nullable(),
  pendingCount: z.int().nullable(),
  configuredDesiredCount: z.int(),
  taskDefinition: z.object({ arn: z.string(), family: z.string(), revision: z.int() }).nullable(),
  image: z
    .object({
      container: z.string(),
      image: z.string(),
      repository: z.string(),
      tag: z.string().nullable(),
      digest: z.string().nullable(),
    })
    .nullable()
    .describe("the configured container's image, or null when the task definition has no such container"),
  rolloutState: z
    .string()
    .nullable()
    .describe("the PRIMARY deployment's rolloutState: IN_PROGRESS, COMPLETED or FAILED"),
  rolloutStateReason: z.string().nullable(),
  deployments: z.int().describe('ECS deployments of the service; more than one while a rollout is under way'),
});

export const queueStatusSchema = z.object({
  key: z.string(),
  queue: z.string(),
  service: z.string(),
  minTasks: z.int(),
  maxTasks: z.int(),
  visible: z.int(),
  inFlight: z.int(),
  delayed: z.int(),
  lastDecision: z
    .object({
      at: z.string().describe('when the autoscaler made this decision'),
      desiredCount: z.int(),
      reason: z.string(),
    })
    .nullable()
    .describe(
      'the last decision the autoscaler stored: it stores a change of count or evidence, and otherwise one every half stabilization window',
    ),
  hold: z
    .object({ desiredCount: z.int(), until: z.string(), by: z.string().optional().describe('who set the hold') })
    .nullable(),
  wakeups: z
    .object({
      usualSize: z.int().describe('the count the next wake-up from zero starts at (rule 5b)'),
      learned: z
        .array(z.object({ used: z.int().describe('tasks the wake-up used'), at: z.string() }))
        .describe('the wake-ups of the last week it learned from, oldest first'),
    })
    .nullable()
    .optional()
    .describe('what the autoscaler has learned of its wake-ups from zero; null when it remembers none'),
});

export const routineRedeploySchema = z
  .object({
    task: z.string().describe('the routine deployment task'),
    everyDays: z.int(),
    lastRunAt: z
      .string()
      .nullable()
      .describe(
        'its last successful run (for an adopted environment: the last run ECS showed; null when ECS showed none: due an hour after the adoption)',
      ),
    nextDueAt: z.string().describe('when reconcile starts it next: N days after the last run, or the next retry'),
    failuresInARow: z.int().describe('failed re-runs since the last success; each doubles the wait, 1 h to 24 h'),
    lastFailure: z.object({ at: z.string(), reason: z.string(), releaseId: z.string() }).nullable(),
  })
  .nullable()
  .describe('null when the environment has no routine deployment task or runs no recorded release');

export const environmentStatusSchema = z.object({
  name: z.string(),
  cluster: z.string(),
  state: z.string(),
  production: z
    .boolean()
    .optional()
    .describe('`production: true` in the config: deploy, rollback and scale must repeat its name in `confirm`'),
  health: z
    .enum(['Healthy', 'Progressing', 'Degraded'])
    .describe(
      'from what ECS runs: Progressing while a rollout is under way; Degraded when services run different releases, a failed one, or fewer tasks than desired',
    ),
  healthReason: z.string().describe('why, in words'),
  nextStep: z.string().nullable().describe('the command an operator would run next; null when all is well'),
  rollbackTo: z
    .object({ version: z.string(), releaseId: z.string() })
    .nullable()
    .describe('what rollback would return every service to: the release that completed and ran before the one running'),
  currentRelease: releaseSummarySchema
    .nullable()
    .describe('the release the environment runs (the last completed rollout, or the adopted baseline)'),
  routineRedeploy: routineRedeploySchema,
  // Optional: APIs older than this field do not send it.
  deploymentGate: deploymentGateSchema.optional(),
  services: z.array(serviceStatusSchema),
  queues: z.array(queueStatusSchema),
  activeRelease: releaseSummarySchema.nullable(),
  running: z
    .object({ version: z.string(), releaseId: z.string(), digest: z.string().describe('the source image digest') })
    .nullable()
    .describe('what the services run now, from ECS: the release whose images every service runs'),
  latestRelease: releaseSummarySchema.nullable(),
});
