import { ConfigError } from '../config/errors.js';
import { type ConductorConfig } from '../config/schema.js';
import { environmentBuildVariables } from '../domain/build-variables.js';
import { arnOrBuild, type CfnString } from './arns.js';
import { serviceRole } from './service-role.js';
import { buildsImages, type BuildingEnvironment } from '../domain/environment.js';

/** The standard image has bash, the AWS CLI and Docker; x86_64, as application images usually are. */
const BUILD_IMAGE = 'aws/codebuild/standard:7.0';
/** A build adds one layer to the pulled application image: the smallest size does. */
const COMPUTE_TYPE = 'BUILD_GENERAL1_SMALL';
const BUILD_TIMEOUT_MINUTES = 60;

export interface BuildProjectSettings {
  /** The inline buildspec (see build-source.ts). */
  buildspec: string;
  service: string;
  stage: string;
  logRetentionInDays: number;
}

/** `cgap-prod` → `CgapProd`: the prefix of an environment's resources in the template. */
function logicalPrefix(environment: string): string {
  return environment
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The environments whose project the stack creates, each with its logical-id prefix. */
function managedEnvironments(config: ConductorConfig): { name: string; env: BuildingEnvironment; prefix: string }[] {
  const managed = Object.entries(config.environments).filter(
    (entry): entry is [string, BuildingEnvironment] => buildsImages(entry[1]) && entry[1].codebuild.managed,
  );
  const clashes = managed.flatMap(([name], index) =>
    managed
      .slice(0, index)
      .filter(([other]) => logicalPrefix(other) === logicalPrefix(name))
      .map(([other]) => `environments.${name}: its build project's template name clashes with ${other}'s; rename one`),
  );
  if (clashes.length > 0) throw new ConfigError(clashes);
  return managed.map(([name, env]) => ({ name, env, prefix: logicalPrefix(name) }));
}

/** The ARN IAM policies grant builds on: the created project's, or the named one's. */
export function buildProjectArn(name: string, env: BuildingEnvironment): CfnString {
  if (env.codebuild.managed) return { 'Fn::Sub': `\${${logicalPrefix(name)}BuildProject.Arn}` };
  return arnOrBuild(env, env.codebuild.project, 'codebuild', (project) => `project/${project}`);
}

function statement(Sid: string, Action: string[], Resource: unknown) {
  return { Sid, Effect: 'Allow', Action, Resource };
}

/** Pull the source image from, and push the entrypoint images to, the environment's repository only. */
function buildRole(name: string, env: BuildingEnvironment, prefix: string, settings: BuildProjectSettings) {
  const repository = arnOrBuild(env, env.repository, 'ecr', (repo) => `repository/${repo}`);
  return serviceRole('codebuild.amazonaws.com', `${settings.service}-${settings.stage}-${name}-build`, [
    // `docker login` needs a token, and GetAuthorizationToken has no resource-level permission.
    statement('RegistryLogin', ['ecr:GetAuthorizationToken'], '*'),
    statement(
      'PullSourceImage',
      ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      repository,
    ),
    statement(
      'PushEntrypointImages',
      ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'],
      repository,
    ),
    statement('OwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], {
      'Fn::GetAtt': [`${prefix}BuildLogs`, 'Arn'],
    }),
  ]);
}

function buildProject(name: string, env: BuildingEnvironment, prefix: string, settings: BuildProjectSettings) {
  return {
    Type: 'AWS::CodeBuild::Project',
    Properties: {
      Name: env.codebuild.project,
      Description: `ecs-conductor: builds the entrypoint images of ${name}`,
      ServiceRole: { 'Fn::GetAtt': [`${prefix}BuildRole`, 'Arn'] },
      Source: { Type: 'NO_SOURCE', BuildSpec: settings.buildspec },
      Artifacts: { Type: 'NO_ARTIFACTS' },
      Environment: {
        Type: 'LINUX_CONTAINER',
        ComputeType: COMPUTE_TYPE,
        Image: BUILD_IMAGE,
        ImagePullCredentialsType: 'CODEBUILD',
        PrivilegedMode: true, // docker build runs inside the build container
        EnvironmentVariables: Object.entries(environmentBuildVariables(env)).map(([Name, Value]) => ({
          Name,
          Value,
          Type: 'PLAINTEXT',
        })),
      },
      LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: `${prefix}BuildLogs` } } },
      TimeoutInMinutes: BUILD_TIMEOUT_MINUTES,
    },
  };
}

/** For each environment whose config names no project: the project, its role and its log group. */
export function buildProjectResources(
  config: ConductorConfig,
  settings: BuildProjectSettings,
): Record<string, unknown> {
  return Object.fromEntries(
    managedEnvironments(config).flatMap(({ name, env, prefix }): [string, unknown][] => [
      [
        `${prefix}BuildLogs`,
        {
          Type: 'AWS::Logs::LogGroup',
          Properties: {
            LogGroupName: `/aws/codebuild/${env.codebuild.project}`,
            RetentionInDays: settings.logRetentionInDays,
          },
        },
      ],
      [`${prefix}BuildRole`, buildRole(name, env, prefix, settings)],
      [`${prefix}BuildProject`, buildProject(name, env, prefix, settings)],
    ]),
  );
}
