import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { alarmStateEvents, imagePushEvents } from '../../../src/packaging/event-rules.js';

const config = (gates?: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  parseConductorConfig({
    environments: {
      staging: {
        repository: 'app',
        codebuild: { project: 'app' },
        cluster: 'staging',
        services: { wsgi: { service: 'staging-wsgi', desiredCount: 1 } },
      },
      production: {
        repository: 'app',
        account: '111122223333',
        region: 'eu-west-1',
        codebuild: { project: 'app' },
        cluster: 'production',
        services: {
          wsgi: { service: 'production-wsgi', desiredCount: 1 },
          indexer: { service: 'production-indexer', desiredCount: 1 },
        },
        ...(gates ? { gates } : {}),
        ...extra,
      },
    },
  });

const patterns = (events: { eventBridge: { pattern: unknown } }[]) => events.map((event) => event.eventBridge.pattern);

describe('onImagePush’s rules', () => {
  it('match pushes and basic scans (packaging.test.ts checks their patterns), and no Inspector event without an enhanced gate', () => {
    const sources = (gates: Record<string, unknown>) =>
      patterns(imagePushEvents(config(gates))).map((pattern) => (pattern as { source: string[] }).source[0]);
    expect(sources({ scan: {} })).toEqual(['aws.ecr', 'aws.ecr']);
    expect(sources({ scan: { scanner: 'enhanced' } })).toEqual(['aws.ecr', 'aws.ecr', 'aws.inspector2']);
  });

  it('add Inspector’s scan results for the repository of an enhanced scan gate, by its exact ARN', () => {
    const [, , inspector] = patterns(imagePushEvents(config({ scan: { scanner: 'enhanced' } })));
    expect(inspector).toEqual({
      source: ['aws.inspector2'],
      'detail-type': ['Inspector2 Scan'],
      detail: { 'repository-name': [{ 'Fn::Sub': 'arn:${AWS::Partition}:ecr:eu-west-1:111122223333:repository/app' }] },
    });
  });
});

describe('onAlarmStateChange’s rule', () => {
  it('matches a watched alarm going to ALARM, by the ARNs IAM scopes DescribeAlarms to', () => {
    expect(patterns(alarmStateEvents(config({ alarms: ['prod-{service}-5xx'] })))).toEqual([
      {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: ['prod-wsgi-5xx', 'prod-indexer-5xx'].map((name) => ({
          'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:eu-west-1:111122223333:alarm:${name}`,
        })),
        detail: { state: { value: ['ALARM'] } },
      },
    ]);
  });

  it('is left out when no environment watches an alarm (an empty list is no valid pattern)', () => {
    expect(alarmStateEvents(config())).toEqual([]);
  });
});
