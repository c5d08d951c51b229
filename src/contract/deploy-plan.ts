import * as z from 'zod';
import { IMAGE_TAG, IMAGE_TAG_RULE } from '../domain/names.js';
import { rolloutPlanSchema } from './releases.js';

/** GET /environments/{env}/deployments/plan: the version to plan, and a deployment task other than the routine one. */
export const deployPlanQuerySchema = z.strictObject({
  version: z.string().regex(IMAGE_TAG, IMAGE_TAG_RULE).describe('the version whose deploy to plan'),
  task: z.string().min(1).max(64).optional().describe('a deployment task other than the routine one'),
});

const containerSettings = z.object({
  environment: z.record(z.string(), z.string()).optional(),
  stopTimeout: z.int().optional(),
});

/** One service's or deployment task's change if the version were deployed. */
export const componentChangeSchema = z.object({
  kind: z.enum(['service', 'task']),
  name: z.string().describe('the service key or deployment task name'),
  container: z.string(),
  taskDefinition: z.string().nullable().describe('the task definition the new revision would copy'),
  imageBefore: z.string().nullable().describe('the container’s image now; null when ECS shows none'),
  imageAfter: z.string().nullable().describe('repository@digest from the release; null when it built none'),
  settings: containerSettings.describe('what the config writes into the container besides the image'),
  settingsBefore: containerSettings.describe('those settings as the container has them now'),
  changes: z.boolean().describe('whether the image or a setting would change'),
});

/** What a deploy would do, with nothing written: `diff` and `deploy --dry-run`. */
export const deployPlanSchema = z.object({
  environment: z.string(),
  version: z.string(),
  releaseId: z.string().describe('the release a deploy of the version would roll out'),
  steps: rolloutPlanSchema.describe('the rollout’s steps, in order'),
  gates: z.array(z.string()).describe('the gates the deploy would pass, one line each'),
  changes: z.array(componentChangeSchema),
});

export type DeployPlanView = z.output<typeof deployPlanSchema>;
