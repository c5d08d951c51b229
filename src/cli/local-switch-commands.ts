import { InvalidArgumentError, type Command } from 'commander';
import { createSwitchStore } from '../local/switch-store.js';
import { DEFAULT_TASK_EXIT_CODE, describeSwitch, type FailureSwitch } from '../local/switches.js';
import type { CliIo } from './api-commands.js';
import { localVerb } from './local-verb.js';

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

function renderSwitches(switches: FailureSwitch[]): string {
  if (switches.length === 0) return 'no failure switches: builds succeed, deployment tasks exit 0\n';
  return `${switches.map((entry) => describeSwitch(entry)).join('\n')}\n`;
}

export function addFailureSwitchCommands(program: Command, local: Command, io: CliIo): void {
  const fail = local.command('fail').description('make emulated builds fail or deployment tasks exit non-zero');
  /** Runs `change` on the emulator's switch store and prints the switches in force after it. */
  const withStore = (command: Command, change: (store: ReturnType<typeof createSwitchStore>) => Promise<string>) =>
    localVerb(program, command, io, async (target, json) => {
      const store = createSwitchStore(target.emulator);
      try {
        const done = await change(store);
        const switches = await store.list();
        io.write(json ? `${JSON.stringify({ switches }, null, 2)}\n` : `${done}${renderSwitches(switches)}`);
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
    await store.put({ target: 'build', version });
    return `set: builds of ${version} fail\n`;
  });

  const task = fail
    .command('task')
    .description('the deployment task of a release of VERSION exits non-zero (the rollout’s exit-code gate fails)')
    .argument('<version>', 'the released version')
    .option('--exit-code <n>', 'the exit code it reports, 1-255', exitCode, DEFAULT_TASK_EXIT_CODE);
  withStore(task, async (store) => {
    const [version = ''] = task.processedArgs as string[];
    const code = task.opts<{ exitCode: number }>().exitCode;
    await store.put({ target: 'task', version, exitCode: code });
    return `set: deployment tasks of ${version} exit ${String(code)}\n`;
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
