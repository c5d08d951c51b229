import { describe, expect, it } from 'vitest';
import {
  codeBuildProjectName,
  ecsName,
  queueName,
  repositoryName,
  roleArn,
  taskDefinitionFamily,
} from '../../../scripts/lib/aws-names.js';

describe('names the emulator seed derives from config values', () => {
  it('keeps plain names', () => {
    expect([ecsName('cgap-prod'), repositoryName('cgap-prod'), codeBuildProjectName('cgap-prod'), queueName('q')]).toEqual([
      'cgap-prod',
      'cgap-prod',
      'cgap-prod',
      'q',
    ]);
  });

  it('takes ECS cluster and service names from their ARNs, old and new format', () => {
    expect(ecsName('arn:aws:ecs:us-east-1:123456789012:cluster/c4-ecs-stack-cgapprod')).toBe('c4-ecs-stack-cgapprod');
    expect(ecsName('arn:aws:ecs:us-east-1:123456789012:service/cluster/cgap-prod-wsgi')).toBe('cgap-prod-wsgi');
    expect(ecsName('arn:aws:ecs:us-east-1:123456789012:service/cgap-prod-wsgi')).toBe('cgap-prod-wsgi');
  });

  it('takes the family of a task definition given with revision or as ARN', () => {
    expect(taskDefinitionFamily('cgap-prod-deployment:12')).toBe('cgap-prod-deployment');
    expect(taskDefinitionFamily('arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-prod-deployment:3')).toBe('cgap-prod-deployment');
  });

  it('keeps slashes of ECR repository names and reads CodeBuild project ARNs', () => {
    expect(repositoryName('arn:aws:ecr:us-east-1:123456789012:repository/team/cgap')).toBe('team/cgap');
    expect(codeBuildProjectName('arn:aws:codebuild:us-east-1:123456789012:project/cgap-prod')).toBe('cgap-prod');
  });

  it('takes queue names from URLs and ARNs', () => {
    expect(queueName('https://sqs.us-east-1.amazonaws.com/123456789012/cgap-prod-ingestion-queue')).toBe('cgap-prod-ingestion-queue');
    expect(queueName('arn:aws:sqs:us-east-1:123456789012:cgap-prod-ingestion-queue')).toBe('cgap-prod-ingestion-queue');
  });

  it('builds role ARNs from names and keeps ARNs', () => {
    expect(roleArn('cgap-prod-ecs-task')).toBe('arn:aws:iam::123456789012:role/cgap-prod-ecs-task');
    expect(roleArn('app-task', '210987654321')).toBe('arn:aws:iam::210987654321:role/app-task');
    expect(roleArn('arn:aws:iam::123456789012:role/path/x')).toBe('arn:aws:iam::123456789012:role/path/x');
  });
});
