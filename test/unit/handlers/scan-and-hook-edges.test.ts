import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as deploymentHook } from '../../../src/handlers/deployment-hook.js';
import { handler as onImagePush } from '../../../src/handlers/on-image-push.js';
import { logger } from '../../../src/handlers/observability.js';
import { lambdaContext } from '../../support/lambda-context.js';

const scanEvent = (repository: string) => ({
  version: '0',
  id: 'scan-1',
  'detail-type': 'ECR Image Scan',
  source: 'aws.ecr',
  account: '123456789012',
  time: '2026-12-06T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    'scan-status': 'COMPLETE',
    'repository-name': repository,
    'image-digest': `sha256:${'a'.repeat(64)}`,
    'image-tags': ['1.4.0'],
    'finding-severity-counts': { HIGH: 1 },
  },
});

describe('onImagePush’s second source: ECR Image Scan', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('ignores the scan of a repository no scan gate reads, with one log line and no AWS call', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    const info = vi.spyOn(logger, 'info');
    // conductor.yml (what the tests' bundle config is) declares no scan gate.
    expect(await onImagePush(scanEvent('cgap-prod'), lambdaContext())).toMatchObject({
      outcome: 'ignored',
      reason: 'no scan gate reads this repository',
    });
    expect(info).toHaveBeenCalledWith('event ignored', expect.objectContaining({ repository: 'cgap-prod' }));
    expect(dynamodb.calls()).toHaveLength(0);
    dynamodb.restore();
  });
});

describe('the deployment hook’s edge', () => {
  it('answers FAILED to a payload naming no service: ECS then rolls back', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    expect(await deploymentHook({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' }, lambdaContext())).toEqual({
      hookStatus: 'FAILED',
    });
    expect(dynamodb.calls()).toHaveLength(0);
    dynamodb.restore();
  });

  it('answers FAILED for a service the conductor does not roll, without probing anything', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    const payload = {
      executionDetails: { serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/other/web' },
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    };
    expect(await deploymentHook(payload, lambdaContext())).toEqual({ hookStatus: 'FAILED' });
    expect(dynamodb.calls()).toHaveLength(0);
    dynamodb.restore();
  });
});
