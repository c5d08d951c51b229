import { InvalidArgumentError, type Command } from 'commander';
import { ALARM_STATES, setLocalAlarm, type LocalAlarmState } from '../local/alarms.js';
import type { CliIo } from './api-commands.js';
import { localVerb } from './local-verb.js';
import { printable } from './words.js';

/**
 * `ecs-conductor local alarm NAME STATE`: a watched CloudWatch alarm set in the emulator, as `aws
 * cloudwatch set-alarm-state` does against AWS; one in ALARM during a deploy or its bake rolls it back.
 */
function alarmState(value: string): LocalAlarmState {
  const state = ALARM_STATES.find((candidate) => candidate === value.toUpperCase());
  if (!state) throw new InvalidArgumentError(`must be one of ${ALARM_STATES.join(', ')}`);
  return state;
}

export function addLocalAlarmCommand(program: Command, local: Command, io: CliIo): void {
  const alarm = local
    .command('alarm')
    .description('set a CloudWatch alarm’s state in the emulator (as aws cloudwatch set-alarm-state does)')
    .argument('<name>', 'the alarm, as gates.alarms names it ({service} filled in)')
    .argument('<state>', ALARM_STATES.join(', '), alarmState)
    .option('--reason <text>', 'the state reason the conductor records', 'set by ecs-conductor local alarm');
  localVerb(program, alarm, io, async (target, json) => {
    const [name, state] = alarm.processedArgs as [string, LocalAlarmState];
    const set = await setLocalAlarm(target.emulator, name, state, alarm.opts<{ reason: string }>().reason);
    io.write(
      json ? `${JSON.stringify(set, null, 2)}\n` : `alarm ${printable(set.name)} ${set.state} since ${set.changedAt}\n`,
    );
    return 0;
  });
}
