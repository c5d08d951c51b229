import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmChange } from '../../src/local/events.js';

/** DescribeAlarms takes at most 100 names a call. */
const NAMES_PER_CALL = 100;

/**
 * What CloudWatch does for EventBridge that moto does not: notice a watched alarm's state change,
 * however it was set (`ecs-conductor local alarm`, `aws cloudwatch set-alarm-state`, the SDK). Each
 * call reads the alarms and returns those whose state changed since the last call; the first call
 * only takes note of how they stand.
 */
export function alarmChangeWatcher(cloudwatch: CloudWatchClient, names: readonly string[]) {
  let seen: Map<string, { state: string; changedAt: string }> | undefined;

  async function read() {
    const now = new Map<string, { state: string; changedAt: string; reason?: string | undefined }>();
    for (let start = 0; start < names.length; start += NAMES_PER_CALL) {
      const chunk = names.slice(start, start + NAMES_PER_CALL);
      const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: chunk }));
      for (const alarm of MetricAlarms) {
        if (!alarm.AlarmName) continue;
        now.set(alarm.AlarmName, {
          state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
          changedAt: (alarm.StateUpdatedTimestamp ?? new Date(0)).toISOString(),
          reason: alarm.StateReason,
        });
      }
    }
    return now;
  }

  return async function changes(): Promise<AlarmChange[]> {
    if (names.length === 0) return [];
    const now = await read();
    const before = seen;
    seen = now;
    if (!before) return [];
    return [...now].flatMap(([name, alarm]) => {
      const was = before.get(name);
      if (was && was.state === alarm.state && was.changedAt === alarm.changedAt) return [];
      return [{ name, state: alarm.state, previous: was?.state, changedAt: alarm.changedAt, reason: alarm.reason }];
    });
  };
}
