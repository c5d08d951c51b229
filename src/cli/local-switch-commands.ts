import { InvalidArgumentError, type Command } from 'commander';
import { createSwitchStore } from '../local/switch-store.js';
import { DEFAULT_TASK_EXIT_CODE, describeSwitch, type FailureSwitch } from '../local/switches.js';
import type { CliIo } from './api-commands.js';
import { localVerb } from './local-verb.js';
import { printable } from './words.js';

/**
 * `ecs-conductor local fail …`: the switches local mode's event pump reads every second — emulated
 * builds of a version fail, or its deployment task exits non-zero — to try the failure paths.
 */

function exitCode(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > 255)
    throw new InvalidArgumentError('must be a whole number from 1 to 255 (0 is a success)');
  return parsed;
}

/** A switch as the user reads it: what they typed is shown with its control characters escaped. */
const said = (entry: FailureSwitch) => printable(describeSwitch(entry));

function renderSwitches(switches: FailureSwitch[]): string {
  if (switches.length === 0) return 'no failure switches: builds succeed, deployment tasks exit 0\n';
  return `${switches.map(said).join('\n')}\n`;
}

/** After setting `set`: its line once, then the other switches in force, if any. */
function renderAfterSet(set: FailureSwitch, switches: FailureSwitch[]): string {
  const others = switches.filter((entry) => said(entry) !== said(set)).map(said);
  return `set: ${said(set)}\n${others.length > 0 ? `also in force:\n${others.map((line) => `  ${line}\n`).join('')}` : ''}`;
}

export function addFailureSwitchCommands(program: Command, local: Command, io: CliIo): void {
  const fail = local.command('fail').description('make emulated builds fail or deployment tasks exit non-zero');
  /** Runs `change` on the emulator's switch store and prints the switches in force after it. */
  const withStore = (
    command: Command,
    change: (store: ReturnType<typeof createSwitchStore>) => Promise<string | FailureSwitch>,
  ) =>
    localVerb(program, command, io, async (target, json) => {
      const store = createSwitchStore(target.emulator);
      try {
        const done = await change(store);
        const switches = await store.list();
        const human = typeof done === 'string' ? `${done}${renderSwitches(switches)}` : renderAfterSet(done, switches);
        io.write(json ? `${JSON.stringify({ switches }, null, 2)}\n` : human);
        return 0;
      } finally {
        store.destroy();
      }
    });

  const build = fail
    .command('build')
    .description('emulated builds of VERSION fail (CodeBuild reports FAILED)')
    .argument('<version>', 'the source image tag');
  withStore(build, async (store) => {
    const [version = ''] = build.processedArgs as string[];
    const set = { target: 'build' as const, version };
    await store.put(set);
    return set;
  });

  const task = fail
    .command('task')
    .description('the deployment task of a release of VERSION exits non-zero (the rollout’s exit-code gate fails)')
    .argument('<version>', 'the released version')
    .option('--exit-code <n>', 'the exit code it reports, 1-255', exitCode, DEFAULT_TASK_EXIT_CODE);
  withStore(task, async (store) => {
    const [version = ''] = task.processedArgs as string[];
    const code = task.opts<{ exitCode: number }>().exitCode;
    const set = { target: 'task' as const, version, exitCode: code };
    await store.put(set);
    return set;
  });

  const clear = fail
    .command('clear')
    .description('remove the switches of VERSION, or every switch (the EMULATOR_FAIL_* ones too)')
    .argument('[version]', 'only this version’s');
  withStore(clear, async (store) => {
    const [version] = clear.processedArgs as (string | undefined)[];
    const removed = await store.clear(version);
    return `cleared ${String(removed.length)} ${removed.length === 1 ? 'switch' : 'switches'}\n`;
  });

  withStore(fail.command('list').description('the switches in force'), () => Promise.resolve(''));
}
