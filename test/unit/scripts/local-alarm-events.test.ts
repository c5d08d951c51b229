import { CloudWatchClient, DescribeAlarmsCommand, type StateValue } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { alarmChangeWatcher } from '../../../scripts/lib/local-alarm-events.js';
import { alarmStateChangeEvent } from '../../../src/local/events.js';

const cloudwatch = mockClient(CloudWatchClient);
const alarm = (state: StateValue, at: string) => ({
  MetricAlarms: [
    {
      AlarmName: 'gates-production-wsgi-5xx',
      StateValue: state,
      StateUpdatedTimestamp: new Date(at),
      StateReason: 'r',
    },
  ],
});

afterEach(() => cloudwatch.reset());

describe('local mode’s alarm state-change events', () => {
  it('reports a change however the state was set, once, after a first read that only takes note', async () => {
    const changes = alarmChangeWatcher(new CloudWatchClient({ region: 'us-east-1' }), ['gates-production-wsgi-5xx']);
    cloudwatch.on(DescribeAlarmsCommand).resolves(alarm('OK', '2026-12-06T10:00:00Z'));
    expect(await changes()).toEqual([]);
    expect(await changes()).toEqual([]);
    cloudwatch.on(DescribeAlarmsCommand).resolves(alarm('ALARM', '2026-12-06T10:05:00Z'));
    const [change] = await changes();
    expect(change).toEqual({
      name: 'gates-production-wsgi-5xx',
      state: 'ALARM',
      previous: 'OK',
      changedAt: '2026-12-06T10:05:00.000Z',
      reason: 'r',
    });
    expect(await changes()).toEqual([]);
    // As CloudWatch sends it: the alarm's ARN in resources, the new and previous states in the detail.
    expect(alarmStateChangeEvent(change ?? ({} as never))).toMatchObject({
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:gates-production-wsgi-5xx'],
      detail: {
        alarmName: 'gates-production-wsgi-5xx',
        state: { value: 'ALARM', timestamp: '2026-12-06T10:05:00.000Z' },
        previousState: { value: 'OK' },
      },
    });
  });
});
