import '../../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { describe, expect, it } from 'vitest';
import { cloudwatch, createCloudWatchAdapter } from '../../../src/aws/cloudwatch.js';
import { AwsCallError } from '../../../src/aws/errors.js';

/** The CloudWatch adapter with the real SDK against moto: what the conductor reads of its watched alarms. */
const sdk = new CloudWatchClient({ protocol: AwsQueryProtocol });
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function putAlarm(name: string): Promise<void> {
  await sdk.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
}

describe('describeAlarms', () => {
  it("reads each named alarm's state, when it entered it and why, as SetAlarmState left it", async () => {
    const [quiet, firing] = [unique('quiet'), unique('firing')];
    await putAlarm(quiet);
    await putAlarm(firing);
    const before = Date.now();
    await sdk.send(new SetAlarmStateCommand({ AlarmName: firing, StateValue: 'ALARM', StateReason: 'test' }));

    const readings = await cloudwatch.describeAlarms([quiet, firing]);

    expect(readings.map((reading) => [reading.name, reading.state]).sort()).toEqual(
      [
        [firing, 'ALARM'],
        [quiet, 'OK'],
      ].sort(),
    );
    const fired = readings.find((reading) => reading.name === firing);
    expect(fired?.reason).toBe('test');
    // Milliseconds are CloudWatch's precision: within a second of the call, on either side of rounding.
    expect(Date.parse(fired?.changedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(fired?.changedAt ?? '')).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('leaves out a name CloudWatch does not know (the deploy check names it as missing)', async () => {
    const known = unique('known');
    await putAlarm(known);
    expect((await cloudwatch.describeAlarms([known, unique('missing')])).map((reading) => reading.name)).toEqual([
      known,
    ]);
    expect(await cloudwatch.describeAlarms([])).toEqual([]);
  });

  it('reads more than the 100 names DescribeAlarms takes at once', async () => {
    const names = Array.from({ length: 105 }, (_, index) => unique(`many${String(index)}`));
    for (const name of names.slice(100)) await putAlarm(name);
    await putAlarm(names[0] ?? '');
    const readings = await cloudwatch.describeAlarms(names);
    expect(readings.map((reading) => reading.name).sort()).toEqual([names[0], ...names.slice(100)].sort());
  });

  it('turns a failed call into an AwsCallError naming the operation', async () => {
    const unreachable = new CloudWatchClient({
      protocol: AwsQueryProtocol,
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 1,
    });
    const failure = await createCloudWatchAdapter(() => unreachable)
      .describeAlarms(['x'])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect((failure as AwsCallError).operation).toBe('cloudwatch:DescribeAlarms');
  });
});

describe('the SDK against moto', () => {
  it('speaks CloudWatch in Query: moto 5.2.5 refuses the JSON protocol this SDK sends by default', async () => {
    const json = new CloudWatchClient({ maxAttempts: 1 });
    const refused = await json.send(new DescribeAlarmsCommand({ AlarmNames: ['x'] })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    const viaQuery = await sdk.send(new DescribeAlarmsCommand({ AlarmNames: ['x'] }));
    expect(viaQuery.MetricAlarms).toEqual([]);
  });
});
