import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  SetAlarmStateCommand,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { emulatorClientConfig, LocalModeError } from './emulator.js';

/**
 * `local alarm`: a CloudWatch alarm's state set in the emulator, as `aws cloudwatch set-alarm-state`
 * does. moto answers CloudWatch in its Query protocol only, which an AWS CLI sending JSON (AWS CLI
 * 1.45, botocore 1.43) does not speak: this verb always can. Nothing in the emulator feeds the
 * alarms' metrics, so a state stays as set.
 */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const satisfies readonly StateValue[];
export type LocalAlarmState = (typeof ALARM_STATES)[number];

export interface SetAlarm {
  name: string;
  state: LocalAlarmState;
  /** When it entered the state, as DescribeAlarms reports it (StateUpdatedTimestamp). */
  changedAt: string;
}

export async function setLocalAlarm(
  emulator: string,
  name: string,
  state: LocalAlarmState,
  reason: string,
): Promise<SetAlarm> {
  const cloudwatch = new CloudWatchClient({ ...emulatorClientConfig(emulator), protocol: AwsQueryProtocol });
  try {
    const known = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    if ((known.MetricAlarms ?? []).length === 0)
      throw new LocalModeError(
        `the emulator has no alarm ${name}: local mode creates the alarms the config's gates.alarms name`,
      );
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
    const [alarm] = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];
    return { name, state, changedAt: (alarm?.StateUpdatedTimestamp ?? new Date()).toISOString() };
  } finally {
    cloudwatch.destroy();
  }
}
