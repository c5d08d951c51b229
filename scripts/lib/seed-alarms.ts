import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import type { ConductorConfig } from '../../src/config/schema.js';
import { alarmsWatchedIn } from '../../src/domain/alarm-watch.js';

/**
 * The CloudWatch alarms the config's deploys watch (gates.alarms), created in the emulator in OK so
 * that an operator can flip one with the real AWS CLI (`aws cloudwatch set-alarm-state`). Nothing in
 * the emulator feeds their metric: they change only when set. One that exists is left in its state.
 */
export function alarmNamesOf(config: ConductorConfig): string[] {
  const names = Object.values(config.environments).flatMap(alarmsWatchedIn);
  return [...new Set(names)];
}

/** What the seed reports of an alarm (seed.ts, SeededResource). */
interface SeededAlarm {
  kind: 'CloudWatch alarm';
  name: string;
  created: boolean;
}

async function ensureAlarm(cloudwatch: CloudWatchClient, name: string): Promise<SeededAlarm> {
  const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  if (MetricAlarms.length > 0) return { kind: 'CloudWatch alarm', name, created: false };
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      AlarmDescription: 'local mode stand-in: no metric feeds it; set its state with aws cloudwatch set-alarm-state',
      Namespace: 'ecs-conductor/local',
      MetricName: name,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
  // CloudWatch starts a new alarm in INSUFFICIENT_DATA (moto in OK): OK, as a healthy service's would be.
  await cloudwatch.send(
    new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'local mode seed: healthy' }),
  );
  return { kind: 'CloudWatch alarm', name, created: true };
}

export function ensureAlarms(cloudwatch: CloudWatchClient, config: ConductorConfig): Promise<SeededAlarm[]> {
  return Promise.all(alarmNamesOf(config).map((name) => ensureAlarm(cloudwatch, name)));
}

/** The banner's lines for a config whose deploys watch alarms: which, and how to set one to ALARM. */
export function alarmHints(config: ConductorConfig, emulator: string): string[] {
  const names = alarmNamesOf(config);
  const [first] = names;
  if (!first) return [];
  return [
    ` Alarms deploys watch (created OK): ${names.join(', ')}`,
    '   one in ALARM during a deploy or its bake rolls it back; set one with the CLI or the AWS CLI:',
    `   npx ecs-conductor local alarm ${first} ALARM`,
    `   aws --endpoint-url ${emulator} cloudwatch set-alarm-state --alarm-name ${first} --state-value ALARM --state-reason test`,
    '   (moto answers CloudWatch in its Query protocol only: an AWS CLI that sends JSON, as 1.45 does, gets a 500)',
    '',
  ];
}
