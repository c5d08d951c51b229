import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import {
  arnOrBuild,
  codeBuildProjectName,
  nameOf,
  queueName,
  repositoryName,
  taskDefinitionFamily,
} from '../../../src/packaging/arns.js';
import { functionPolicyStatements } from '../../../src/packaging/iam-policies.js';

const environment = (overrides: Record<string, unknown> = {}) =>
  parseConductorConfig({
    environments: {
      app: {
        repository: 'app',
        codebuild: { project: 'app' },
        cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/app-cluster',
        services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } },
        ...overrides,
      },
    },
  });

describe('ARN helpers', () => {
  it.each([
    ['app', 'app'],
    ['arn:aws:ecs:us-east-1:123456789012:cluster/c4-ecs-stack-cgap-Id3', 'c4-ecs-stack-cgap-Id3'],
    ['arn:aws:sqs:us-east-1:123456789012:cgap-ingestion-queue', 'cgap-ingestion-queue'],
  ])('nameOf(%s) is %s', (value, name) => {
    expect(nameOf(value)).toBe(name);
  });

  it.each([
    ['cgap-deployment', 'cgap-deployment'],
    ['cgap-deployment:42', 'cgap-deployment'],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-deployment:7', 'cgap-deployment'],
  ])('taskDefinitionFamily(%s) is %s', (value, family) => {
    expect(taskDefinitionFamily(value)).toBe(family);
  });

  it('takes the queue name from a queue URL', () => {
    expect(queueName('https://sqs.us-east-1.amazonaws.com/123456789012/cgap-ingestion-queue')).toBe(
      'cgap-ingestion-queue',
    );
  });

  it('builds ARNs in the environment account and region when the config names them', () => {
    const env = environment({ account: '111122223333', region: 'eu-west-1' }).environments.app;
    if (!env) throw new Error('no environment');
    expect(arnOrBuild(env, 'app', 'codebuild', (name) => `project/${name}`)).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:codebuild:eu-west-1:111122223333:project/app',
    });
    expect(arnOrBuild(env, 'arn:aws:codebuild:eu-west-1:111122223333:project/x', 'codebuild', (name) => name)).toBe(
      'arn:aws:codebuild:eu-west-1:111122223333:project/x',
    );
  });
});

describe('functionPolicyStatements', () => {
  it('scopes services to the cluster named by an ARN and families to the service name by default', () => {
    const statements = functionPolicyStatements('reconcile', environment());
    const text = JSON.stringify(statements);
    expect(text).toContain('service/app-cluster/app-wsgi');
    expect(text).toContain('task-definition/app-wsgi:*');
  });

  it('leaves out statements for resources the config does not have', () => {
    const sids = functionPolicyStatements('reconcile', environment()).map((statement) => statement.Sid);
    // No deployment tasks, task roles or topic: no RunTask, PassRole or Publish.
    expect(sids).not.toContain('RunDeploymentTasks');
    expect(sids).not.toContain('PassTaskRoles');
    expect(sids).not.toContain('Notify');
  });

  it('gives the autoscaler UpdateService only on queue-driven services', () => {
    const withQueue = environment({ queues: { q: { queue: 'q', service: 'wsgi', minTasks: 0, maxTasks: 2 } } });
    const scale = functionPolicyStatements('autoscale', withQueue).find(
      (statement) => statement.Sid === 'ScaleQueueServices',
    );
    expect(scale?.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/app-cluster/app-wsgi' },
    ]);
    const withoutQueue = functionPolicyStatements('autoscale', environment()).map((statement) => statement.Sid);
    expect(withoutQueue).not.toContain('ScaleQueueServices');
  });
});

describe('names from config values: plain, ARN or URL', () => {
  it('keeps plain names', () => {
    expect([
      nameOf('cgap-prod'),
      repositoryName('cgap-prod'),
      codeBuildProjectName('cgap-prod'),
      queueName('q'),
    ]).toEqual(['cgap-prod', 'cgap-prod', 'cgap-prod', 'q']);
  });

  it('takes ECS cluster and service names from their ARNs, old and new format', () => {
    expect(nameOf('arn:aws:ecs:us-east-1:123456789012:cluster/c4-ecs-stack-cgapprod')).toBe('c4-ecs-stack-cgapprod');
    expect(nameOf('arn:aws:ecs:us-east-1:123456789012:service/cluster/cgap-prod-wsgi')).toBe('cgap-prod-wsgi');
    expect(nameOf('arn:aws:ecs:us-east-1:123456789012:service/cgap-prod-wsgi')).toBe('cgap-prod-wsgi');
  });

  it('takes the family of a task definition given with revision or as ARN', () => {
    expect(taskDefinitionFamily('cgap-prod-deployment:12')).toBe('cgap-prod-deployment');
    expect(taskDefinitionFamily('arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-prod-deployment:3')).toBe(
      'cgap-prod-deployment',
    );
  });

  it('keeps slashes of ECR repository names and reads CodeBuild project ARNs', () => {
    expect(repositoryName('arn:aws:ecr:us-east-1:123456789012:repository/team/cgap')).toBe('team/cgap');
    expect(codeBuildProjectName('arn:aws:codebuild:us-east-1:123456789012:project/cgap-prod')).toBe('cgap-prod');
  });

  it('takes queue names from URLs and ARNs', () => {
    expect(queueName('https://sqs.us-east-1.amazonaws.com/123456789012/cgap-prod-ingestion-queue')).toBe(
      'cgap-prod-ingestion-queue',
    );
    expect(queueName('arn:aws:sqs:us-east-1:123456789012:cgap-prod-ingestion-queue')).toBe('cgap-prod-ingestion-queue');
  });
});
