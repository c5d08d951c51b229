import { parseConductorConfig } from '../config/load.js';
import { codeBuildProjectName, repositoryName } from '../domain/names.js';
import { alarmResources } from './alarms.js';
import { functionRoles } from './roles.js';

// The packaging scripts (serverless/*.cjs) load this one module: the schema serves both the values
// derived here and the validated config esbuild bakes into the bundles.
export { ConfigError, parseConductorConfig } from '../config/load.js';
export { stackEnvironments } from '../config/stack-names.js';

/**
 * Everything serverless.yml derives from the conductor's config at packaging time. Validating here
 * means a bad config fails `serverless package`, listing every problem.
 */
export function packagingValues(document: unknown, service: string, stage: string, alarmTopic = '') {
  const config = parseConductorConfig(document);
  const environments = Object.values(config.environments);
  return {
    roles: functionRoles(config, service, stage),
    alarms: alarmResources(alarmTopic === '' ? [] : [alarmTopic]),
    repositories: [...new Set(environments.map((env) => repositoryName(env.repository)))],
    buildProjects: [...new Set(environments.map((env) => codeBuildProjectName(env.codebuild.project)))],
  };
}
