import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as deploymentHook } from '../../../src/handlers/deployment-hook.js';
import { handler as onAlarmStateChange } from '../../../src/handlers/on-alarm-state-change.js';
import { handler as onImagePush } from '../../../src/handlers/on-image-push.js';
import { handler as onDeploymentStateChange } from '../../../src/handlers/on-deployment-state-change.js';
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

/** Amazon Inspector's `Inspector2 Scan`, as its user guide shows it: the repository by ARN, a TOTAL count. */
const inspectorEvent = (repository: string) => ({
  ...scanEvent(repository),
  'detail-type': 'Inspector2 Scan',
  source: 'aws.inspector2',
  detail: {
    'scan-status': 'INITIAL_SCAN_COMPLETE',
    'repository-name': `arn:aws:ecr:us-east-1:123456789012:repository/${repository}`,
    'image-digest': `sha256:${'a'.repeat(64)}`,
    'image-tags': ['1.4.0'],
    'finding-severity-counts': { CRITICAL: 0, HIGH: 1, MEDIUM: 0, TOTAL: 1 },
  },
});

describe('onImagePush’s third source: Inspector2 Scan', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads the repository out of its ARN, and ignores a repository no scan gate reads without an AWS call', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    const info = vi.spyOn(logger, 'info');
    expect(await onImagePush(inspectorEvent('cgap-prod'), lambdaContext())).toMatchObject({
      outcome: 'ignored',
      reason: 'no scan gate reads this repository',
    });
    expect(info).toHaveBeenCalledWith('event ignored', expect.objectContaining({ repository: 'cgap-prod' }));
    expect(dynamodb.calls()).toHaveLength(0);
    dynamodb.restore();
  });

  it('drops an Inspector event whose repository is a bare name (Inspector always sends the ARN)', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    const event = inspectorEvent('cgap-prod');
    const named = { ...event, detail: { ...event.detail, 'repository-name': 'cgap-prod' } };
    expect(await onImagePush(named, lambdaContext())).toMatchObject({ outcome: 'ignored' });
    expect(dynamodb.calls()).toHaveLength(0);
    dynamodb.restore();
  });
});

const alarmEvent = (alarmName: string, value: string) => ({
  ...scanEvent('x'),
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
  detail: {
    alarmName,
    state: { value, reason: 'Threshold Crossed', timestamp: '2026-12-06T10:00:00.000+0000' },
    previousState: { value: 'OK' },
  },
});

describe('onAlarmStateChange’s edge', () => {
  it.each([
    ['a state other than ALARM', alarmEvent('cgap-prod-wsgi-5xx', 'OK'), 'OK is not ALARM'],
    // conductor.yml (the tests' bundle config) watches no alarm.
    ['an alarm no environment watches', alarmEvent('someone-elses', 'ALARM'), 'no environment watches this alarm'],
  ])('ignores %s without an AWS call', async (_what, event, reason) => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    expect(await onAlarmStateChange(event, lambdaContext())).toMatchObject({ outcome: 'ignored', reason });
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

const hookEvent = (detail: Record<string, unknown>, resources: string[] = []) => ({
  version: '0',
  id: 'hook-1',
  'detail-type': 'ECS Hook State Change',
  source: 'aws.ecs',
  account: '123456789012',
  time: '2026-12-06T10:00:00Z',
  region: 'us-east-1',
  resources,
  detail,
});

describe('onDeploymentStateChange’s second source: ECS Hook State Change', () => {
  it('drops a hook event naming no service deployment, and one of a deployment the conductor did not start', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    dynamodb.onAnyCommand().resolves({});
    expect(
      await onDeploymentStateChange(hookEvent({ eventName: 'HOOK_AWAITING_ACTION' }), lambdaContext()),
    ).toMatchObject({
      outcome: 'ignored',
      reason: 'names no service deployment',
    });
    const arn = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/1';
    expect(
      await onDeploymentStateChange(hookEvent({ eventName: 'HOOK_AWAITING_ACTION' }, [arn]), lambdaContext()),
    ).toMatchObject({
      outcome: 'ignored',
      reason: 'deployment not started by the conductor',
      serviceDeploymentArn: arn,
    });
    // The index was asked about the deployment in `resources`: the event's only way to name it here.
    expect(JSON.stringify(dynamodb.calls().map((call) => call.args[0].input))).toContain(`DEPLOYMENT#${arn}`);
    dynamodb.restore();
  });
});
