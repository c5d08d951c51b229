import { readFileSync } from 'node:fs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as onImagePush } from '../../../src/handlers/on-image-push.js';
import { handler as onTaskStateChange } from '../../../src/handlers/on-task-state-change.js';
import { logger } from '../../../src/handlers/observability.js';
import { lambdaContext } from '../../support/lambda-context.js';

const ecrPush = JSON.parse(
  readFileSync(new URL('../../fixtures/events/ecr-push.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('event handlers at the edge', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    [
      'a derived entrypoint tag',
      { 'image-tag': '1.4.0-indexer' },
      'tag "1.4.0-indexer" is a derived entrypoint tag (suffix -indexer) of cgap-mastertest',
    ],
    ['another repository', { 'repository-name': 'tibanna-awsf' }, 'repository tibanna-awsf belongs to no environment'],
    ['an untagged manifest', { 'image-tag': undefined }, 'untagged manifest'],
    ['a delete', { 'action-type': 'DELETE' }, 'DELETE is not a push'],
  ])('ignores %s with one log line and no AWS call', async (_name, change, reason) => {
    const codebuild = mockClient(CodeBuildClient);
    const dynamodb = mockClient(DynamoDBDocumentClient);
    const info = vi.spyOn(logger, 'info');
    const event = { ...ecrPush, detail: { ...(ecrPush.detail as object), ...change } };
    // What `aws lambda invoke` prints: why nothing was done.
    expect(await onImagePush(event, lambdaContext())).toMatchObject({ outcome: 'ignored', reason });
    expect(info).toHaveBeenCalledTimes(1);
    expect(info).toHaveBeenCalledWith('event ignored', expect.objectContaining({ reason }));
    expect(codebuild.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
    codebuild.restore();
    dynamodb.restore();
  });

  it.each([
    ['a task another tool started', 'ecs-svc/123', 'STOPPED'],
    ['a conductor task that is still running', 'ecs-conductor/rel-0123456789abcdef0123', 'RUNNING'],
  ])('ignores %s with one log line and no AWS call', async (_name, startedBy, lastStatus) => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    const info = vi.spyOn(logger, 'info');
    const event = {
      version: '0',
      id: 'e1',
      'detail-type': 'ECS Task State Change',
      source: 'aws.ecs',
      account: '123456789012',
      time: '2026-11-25T15:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/cgap-mastertest/abc',
        clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/cgap-mastertest',
        lastStatus,
        startedBy,
        version: 5,
        containers: [{ name: 'app', exitCode: 1 }],
      },
    };
    expect(await onTaskStateChange(event, lambdaContext())).toEqual({
      outcome: 'ignored',
      reason: 'not a stopped conductor task',
      taskArn: event.detail.taskArn,
      startedBy,
      lastStatus,
    });
    expect(info).toHaveBeenCalledTimes(1);
    expect(info).toHaveBeenCalledWith(
      'event ignored',
      expect.objectContaining({ reason: 'not a stopped conductor task' }),
    );
    expect(dynamodb.calls()).toHaveLength(0);
    dynamodb.restore();
  });

  it('answers an event of another shape with why it was ignored, not an empty body', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    expect(await onTaskStateChange({ hello: 'world' }, lambdaContext())).toEqual({
      outcome: 'ignored',
      reason: 'not the event this function handles (unexpected shape)',
    });
    expect(dynamodb.calls()).toHaveLength(0);
    dynamodb.restore();
  });
});
