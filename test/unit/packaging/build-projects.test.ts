import { describe, expect, it } from 'vitest';
import { ConfigError, parseConductorConfig } from '../../../src/config/load.js';
import { buildProjectResources } from '../../../src/packaging/build-projects.js';
import { functionPolicyStatements } from '../../../src/packaging/iam-policies.js';

const environment = (overrides: Record<string, unknown> = {}) => ({
  repository: 'app',
  cluster: 'app',
  services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } },
  ...overrides,
});

/** `staging` names no project (the stack creates it); `prod` names its own. */
const config = parseConductorConfig({
  environments: {
    staging: environment({ repository: 'app-staging' }),
    prod: environment({ codebuild: { project: 'prod-builds' } }),
  },
});

const settings = { buildspec: 'version: 0.2\n', service: 'ecs-conductor', stage: 'ci', logRetentionInDays: 14 };

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Sid: string;
  Action: string[];
  Resource: unknown;
}

const resources = buildProjectResources(config, settings) as Record<string, Resource>;
const roleStatements = (): Statement[] => {
  const policies = resources.StagingBuildRole?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
};

describe('buildProjectResources', () => {
  it('creates a project, its role and its log group for each environment that names no project, and nothing else', () => {
    expect(Object.entries(resources).map(([id, resource]) => [id, resource.Type])).toEqual([
      ['StagingBuildLogs', 'AWS::Logs::LogGroup'],
      ['StagingBuildRole', 'AWS::IAM::Role'],
      ['StagingBuildProject', 'AWS::CodeBuild::Project'],
    ]);
  });

  it('runs the inline buildspec in privileged mode with the environment-wide variables, logging to its group', () => {
    expect(resources.StagingBuildProject?.Properties).toMatchObject({
      Name: 'ecs-conductor-staging-build',
      ServiceRole: { 'Fn::GetAtt': ['StagingBuildRole', 'Arn'] },
      Source: { Type: 'NO_SOURCE', BuildSpec: 'version: 0.2\n' },
      Artifacts: { Type: 'NO_ARTIFACTS' },
      Environment: {
        PrivilegedMode: true,
        EnvironmentVariables: [{ Name: 'ECR_REPOSITORY', Value: 'app-staging', Type: 'PLAINTEXT' }],
      },
      LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: 'StagingBuildLogs' } } },
    });
    expect(resources.StagingBuildLogs?.Properties).toEqual({
      LogGroupName: '/aws/codebuild/ecs-conductor-staging-build',
      RetentionInDays: 14,
    });
  });

  it('lets the role log in to ECR (the only "*"), pull from and push to its repository, and write its own logs', () => {
    const repository = {
      'Fn::Sub': 'arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/app-staging',
    };
    expect(roleStatements().map(({ Sid, Action, Resource }) => ({ Sid, Action, Resource }))).toEqual([
      { Sid: 'RegistryLogin', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      {
        Sid: 'PullSourceImage',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        Resource: repository,
      },
      {
        Sid: 'PushEntrypointImages',
        Action: ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'],
        Resource: repository,
      },
      {
        Sid: 'OwnLogs',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': ['StagingBuildLogs', 'Arn'] },
      },
    ]);
    const trust = resources.StagingBuildRole?.Properties.AssumeRolePolicyDocument;
    expect(JSON.stringify(trust)).toContain('"Service":"codebuild.amazonaws.com"');
  });

  it('points the build at a repository in another account by its full URI, and scopes the role to it', () => {
    const arn = 'arn:aws:ecr:eu-west-1:111122223333:repository/team/app';
    const crossAccount = parseConductorConfig({ environments: { staging: environment({ repository: arn }) } });
    const created = buildProjectResources(crossAccount, settings) as Record<string, Resource>;
    expect(JSON.stringify(created.StagingBuildProject?.Properties.Environment)).toContain(
      '"Value":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app"',
    );
    const policy = JSON.stringify(created.StagingBuildRole?.Properties.Policies);
    expect(policy).toContain(`"Resource":"${arn}"`);
  });

  it('refuses two environments whose resources would share a template name, naming both', () => {
    const clashing = parseConductorConfig({ environments: { 'a-1b': environment(), a1b: environment() } });
    expect(() => buildProjectResources(clashing, settings)).toThrow(ConfigError);
    expect(() => buildProjectResources(clashing, settings)).toThrow(/environments\.a1b: .* clashes with a-1b's/);
  });
});

describe('build permissions of the functions', () => {
  it('name the created project by its ARN in the stack and the named project by its own', () => {
    const builds = functionPolicyStatements('onImagePush', config).find((statement) => statement.Sid === 'Builds');
    expect(builds?.Action).toEqual(['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:BatchGetProjects']);
    expect(builds?.Resource).toEqual([
      { 'Fn::Sub': '${StagingBuildProject.Arn}' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/prod-builds' },
    ]);
  });
});
