import { IMAGE_TAG } from './names.js';
import type { Entrypoint, Environment } from './environment.js';

/**
 * The environment variables the conductor passes to a CodeBuild build (as
 * `environmentVariablesOverride`) so that buildspec/buildspec.yml builds one entrypoint image.
 * The buildspec test checks that the buildspec uses no other variable of ours.
 */
export const BUILD_VARIABLES = [
  'ENTRYPOINT',
  'SOURCE_TAG',
  'ECR_REPOSITORY',
  'IMAGE_TAG',
  'DOCKER_ENTRYPOINT',
  'ALIAS_TAG',
  'APP_USER',
  'CONFIGURE_COMMAND',
] as const;

export type BuildVariable = (typeof BUILD_VARIABLES)[number];

export interface BuildVariablesInput {
  /** Where the application image lives (repository, account, region) and how it is built (image). */
  environment: Pick<Environment, 'repository' | 'account' | 'region'> & {
    image: Pick<Environment['image'], 'appUser' | 'configureCommand'>;
  };
  entrypoint: Entrypoint;
  /** The release version: the source tag that was pushed, e.g. `1.4.0` or a git SHA. */
  version: string;
  /** Prefix of a moving alias pushed next to the versioned tag: `latest` → `latest-indexer`. */
  aliasPrefix?: string;
}

const ECR_REPOSITORY_ARN =
  /^arn:(?<partition>aws[a-z-]*):ecr:(?<region>[a-z0-9-]+):(?<account>\d{12}):repository\/(?<name>.+)$/;

/**
 * The repository as the buildspec takes it: a full URI when account and region are known (from an ARN
 * or the environment), else the bare name, which the buildspec completes with the build's own account
 * and region.
 */
export function ecrRepositoryReference(environment: Pick<Environment, 'repository' | 'account' | 'region'>): string {
  const arn = ECR_REPOSITORY_ARN.exec(environment.repository)?.groups;
  if (arn) {
    const { partition = 'aws', region = '', account = '', name = '' } = arn;
    return `${account}.dkr.ecr.${region}.${partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}/${name}`;
  }
  if (environment.account !== undefined && environment.region !== undefined) {
    const domain = environment.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `${environment.account}.dkr.ecr.${environment.region}.${domain}/${environment.repository}`;
  }
  return environment.repository;
}

/**
 * The variables that are the same for every build of an environment: the build project the stack
 * creates holds them as its own; StartBuild passes them again, so a named project needs none.
 */
export function environmentBuildVariables(
  environment: BuildVariablesInput['environment'],
): Pick<Record<BuildVariable, string>, 'ECR_REPOSITORY'> {
  return { ECR_REPOSITORY: ecrRepositoryReference(environment) };
}

function checkedTag(tag: string, what: string): string {
  if (!IMAGE_TAG.test(tag)) throw new Error(`${what} "${tag}" is not a valid ECR image tag`);
  return tag;
}

/**
 * The build variables for one entrypoint of one environment at one version. Every variable is always
 * present (an unused alias or configure command is ''), so a project-level default can never leak
 * into a release build.
 */
export function buildVariables(input: BuildVariablesInput): Record<BuildVariable, string> {
  const { environment, entrypoint, version, aliasPrefix } = input;
  return {
    ENTRYPOINT: entrypoint.name,
    SOURCE_TAG: checkedTag(version, 'version'),
    ...environmentBuildVariables(environment),
    IMAGE_TAG: checkedTag(`${version}${entrypoint.tagSuffix}`, 'image tag'),
    DOCKER_ENTRYPOINT: entrypoint.dockerEntrypoint,
    ALIAS_TAG:
      aliasPrefix === undefined || aliasPrefix === ''
        ? ''
        : checkedTag(`${aliasPrefix}${entrypoint.tagSuffix}`, 'alias tag'),
    APP_USER: environment.image.appUser,
    CONFIGURE_COMMAND: environment.image.configureCommand ?? '',
  };
}
