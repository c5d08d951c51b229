import * as z from 'zod';
import { describeIssues, ConfigError } from './load.js';

const runtimeSchema = z.object({
  CONDUCTOR_STAGE: z.string().min(1).default('local'),
  CONDUCTOR_TABLE: z.string().min(3, 'must name the conductor state table'),
});

export interface RuntimeSettings {
  stage: string;
  tableName: string;
}

/** The deployment's own settings, from the Lambda environment serverless.yml sets. */
export function loadRuntimeSettings(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const result = runtimeSchema.safeParse(env);
  if (!result.success) throw new ConfigError(describeIssues(result.error));
  return { stage: result.data.CONDUCTOR_STAGE, tableName: result.data.CONDUCTOR_TABLE };
}
