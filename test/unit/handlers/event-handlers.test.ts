import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as onImagePush } from '../../../src/handlers/on-image-push.js';
import { handler as onTaskStateChange } from '../../../src/handlers/on-task-state-change.js';
import { logger } from '../../../src/handlers/observability.js';
import { lambdaContext } from '../../support/lambda-context.js';

const ecrPush = JSON.parse(readFileSync(new URL('../../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('event handlers at the edge', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('accepts the ECR push event exactly as AWS documents it', async () => {
    const info = vi.spyOn(logger, 'info');
    const warn = vi.spyOn(logger, 'warn');
    await onImagePush(ecrPush, lambdaContext());
    expect(warn).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledWith(
      'event accepted, no action taken',
      expect.objectContaining({ detail: { repository: 'cgap-mastertest', tag: '1.4.0', digest: expect.stringMatching(/^sha256:/) as unknown } }),
    );
  });

  it.each([
    ['a foreign source shape', { ...ecrPush, 'detail-type': 'ECR Image Scan' }],
    ['a detail without a digest', { ...ecrPush, detail: { 'action-type': 'PUSH', result: 'SUCCESS', 'repository-name': 'x' } }],
    ['not an object at all', 'hello'],
  ])('ignores %s with one warning and without throwing', async (_name, event) => {
    const warn = vi.spyOn(logger, 'warn');
    await expect(onImagePush(event, lambdaContext())).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('event ignored: unexpected shape', expect.objectContaining({ problems: expect.any(Array) as unknown }));
  });

  it('accepts a STOPPED deployment task event with its exit codes', async () => {
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
        lastStatus: 'STOPPED',
        startedBy: 'ecs-conductor/rel-1',
        stopCode: 'EssentialContainerExited',
        version: 5,
        containers: [{ name: 'app', exitCode: 1 }],
      },
    };
    await onTaskStateChange(event, lambdaContext());
    expect(info).toHaveBeenCalledWith('event accepted, no action taken', expect.objectContaining({ eventId: 'e1' }));
  });
});
