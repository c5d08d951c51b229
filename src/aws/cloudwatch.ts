import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import type { AlarmReading } from '../domain/alarm-watch.js';
import type { AlarmReader } from '../use-cases/ports.js';
import { clientConfig } from './client-config.js';
import { callAws } from './errors.js';

/** DescribeAlarms takes at most 100 names a call. */
const NAMES_PER_CALL = 100;

// CloudWatch answers its Query protocol and, since 2025, JSON, which this SDK sends by default; moto (local
// mode, tests) speaks Query only, so the client speaks Query everywhere. Made on first use, once per
// container: a client built at module scope from a spread config stays in every bundle that imports this
// module (esbuild keeps the spread), even those whose handler never reads alarms.
let sharedClient: CloudWatchClient | undefined;
const defaultCloudWatchClient = () =>
  (sharedClient ??= new CloudWatchClient({ ...clientConfig, protocol: AwsQueryProtocol }));

type DescribedAlarm = NonNullable<DescribeAlarmsCommandOutput['MetricAlarms']>[number];

function reading(alarm: DescribedAlarm): AlarmReading {
  return {
    name: alarm.AlarmName ?? '',
    state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
    changedAt: (alarm.StateUpdatedTimestamp ?? new Date(0)).toISOString(),
    ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
  };
}

/** CloudWatch alarm reads the conductor needs, in domain shapes; failures are AwsCallErrors. */
export function createCloudWatchAdapter(clientOf: () => CloudWatchClient = defaultCloudWatchClient): AlarmReader {
  async function describeChunk(names: string[]): Promise<AlarmReading[]> {
    const readings: AlarmReading[] = [];
    let nextToken: string | undefined;
    do {
      const response = await callAws('cloudwatch:DescribeAlarms', `alarms ${names.join(', ')}`, () =>
        clientOf().send(
          new DescribeAlarmsCommand({
            AlarmNames: names,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken: nextToken,
          }),
        ),
      );
      readings.push(...[...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])].map(reading));
      nextToken = response.NextToken;
    } while (nextToken);
    return readings;
  }

  async function describeAlarms(names: string[]): Promise<AlarmReading[]> {
    const unique = [...new Set(names)];
    const readings: AlarmReading[] = [];
    for (let start = 0; start < unique.length; start += NAMES_PER_CALL)
      readings.push(...(await describeChunk(unique.slice(start, start + NAMES_PER_CALL))));
    return readings;
  }

  return { describeAlarms };
}

/** The adapter over the module's shared client (the endpoint comes from AWS_ENDPOINT_URL when set). */
export const cloudwatch = /* @__PURE__ */ createCloudWatchAdapter();
