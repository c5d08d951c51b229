import { ConfigError } from './errors.js';

export interface RuntimeSettings {
  stage: string;
  tableName: string;
}

/**
 * The deployment's own settings, from the Lambda environment serverless.yml sets. Checked by hand
 * rather than with zod: two strings do not need it, and the functions that validate nothing else
 * (autoscale, reconcile) then leave zod out of their bundles.
 */
export function loadRuntimeSettings(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const { CONDUCTOR_STAGE: stage = 'local', CONDUCTOR_TABLE: tableName = '' } = env;
  const problems = [
    ...(stage === '' ? ['CONDUCTOR_STAGE: must not be empty'] : []),
    ...(tableName.length < 3 ? ['CONDUCTOR_TABLE: must name the conductor state table'] : []),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return { stage, tableName };
}
