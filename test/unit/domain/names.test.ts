import { describe, expect, it } from 'vitest';
import {
  codeBuildProjectName,
  IMAGE_TAG,
  nameOf,
  queueName,
  releaseIdOfStartedBy,
  repositoryName,
  startedByFor,
  taskDefinitionFamily,
} from '../../../src/domain/names.js';

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

  it("reads back the release of a task it started, and no one else's", () => {
    expect(releaseIdOfStartedBy(startedByFor('rel-0123456789abcdef0123'))).toBe('rel-0123456789abcdef0123');
    expect(releaseIdOfStartedBy('ecs-svc/1234')).toBeUndefined();
    expect(releaseIdOfStartedBy(undefined)).toBeUndefined();
  });

  it.each([
    ['1.4.0', true],
    ['latest-indexer', true],
    ['-leading-dash', false],
    ['.dot', false],
    ['a'.repeat(129), false],
  ])('IMAGE_TAG accepts %s: %s', (tag, valid) => {
    expect(IMAGE_TAG.test(tag)).toBe(valid);
  });
});
