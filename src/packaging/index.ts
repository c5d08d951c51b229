import { parseConductorConfig } from '../config/load.js';
import { codeBuildProjectName } from '../domain/names.js';
import { alarmResources } from './alarms.js';
import { buildProjectResources } from './build-projects.js';
import { inlineBuildspec, readBuildSource } from './build-source.js';
import { alarmStateEvents, imagePushEvents } from './event-rules.js';
import { functionRoles } from './roles.js';
import { buildsImages } from '../domain/environment.js';

// The packaging scripts (serverless/*.cjs) load this one module: the schema serves both the values
// derived here and the validated config esbuild bakes into the bundles.
export { ConfigError, parseConductorConfig } from '../config/load.js';
export { stackEnvironments } from '../config/stack-names.js';

/** What serverless.yml knows of the stack being packaged. */
export interface StackSettings {
  service: string;
  stage: string;
  /** SNS topic ARN for the alarms, or ''. */
  alarmTopic: string;
  logRetentionInDays: number;
  /** Where buildspec/ and docker/ are, inlined into the build projects the stack creates. */
  projectRoot: string;
}

/**
 * Everything serverless.yml derives from the conductor's config at packaging time. Validating here
 * means a bad config fails `serverless package`, listing every problem.
 */
export function packagingValues(document: unknown, stack: StackSettings) {
  const { service, stage, alarmTopic, logRetentionInDays, projectRoot } = stack;
  const config = parseConductorConfig(document);
  const environments = Object.values(config.environments);
  const buildspec = inlineBuildspec(readBuildSource(projectRoot));
  return {
    roles: functionRoles(config, service, stage),
    alarms: alarmResources(alarmTopic === '' ? [] : [alarmTopic]),
    buildResources: buildProjectResources(config, { buildspec, service, stage, logRetentionInDays }),
    imagePushEvents: imagePushEvents(config),
    alarmEvents: alarmStateEvents(config),
    // The hook Lambda's `vpc`; `false` keeps it outside any VPC (serverless.yml's way to say none).
    hookVpc: config.deploymentHook ?? false,
    buildProjects: [
      ...new Set(environments.filter(buildsImages).map((env) => codeBuildProjectName(env.codebuild.project))),
    ],
  };
}
