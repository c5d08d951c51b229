import { setTimeout as sleep } from 'node:timers/promises';
import { Command, CommanderError } from 'commander';
import { addConsoleCommand } from './console-command.js';
import { addApiCommands, type CliIo } from './api-commands.js';
import { addLocalCommands } from './local-commands.js';
import { validateConfigCommand } from './validate-config.js';

export type { CliIo } from './api-commands.js';

/** What the CLI touches outside itself; tests replace any of it. */
function cliIo(write: ((text: string) => void) | undefined, io: Partial<CliIo>): CliIo {
  const out = write ?? ((text: string) => process.stdout.write(text));
  return {
    write: out,
    // With a writer given (tests), errors go to it too, so one capture holds the whole conversation.
    writeError: io.writeError ?? (write ? out : (text: string) => process.stderr.write(text)),
    env: io.env ?? process.env,
    isTTY: io.isTTY ?? (write ? false : process.stdout.isTTY),
    now: io.now ?? Date.now,
    sleep: io.sleep ?? ((ms: number) => sleep(ms)),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.credentials ? { credentials: io.credentials } : {}),
  };
}

/** Builds the `ecs-conductor` command tree. */
export function buildProgram(write?: (text: string) => void, io: Partial<CliIo> = {}): Command {
  const resolved = cliIo(write, io);
  const program = new Command('ecs-conductor')
    .description('Release and scaling control plane for container applications on AWS ECS')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: resolved.write, writeErr: resolved.writeError });
  const config = program.command('config').description('work with the conductor configuration');
  config
    .command('validate')
    .description('validate a config file offline and list every problem with its path')
    .argument('[file]', 'YAML or JSON config file', 'conductor.yml')
    .option('--json', 'print the result as JSON')
    // The program's own --json takes the flag wherever it is written, so read both levels.
    .action((file: string, _options: unknown, command: Command) => {
      const { json } = command.optsWithGlobals<{ json?: boolean }>();
      program.setOptionValue('exitCode', validateConfigCommand(file, { json: json === true }, resolved.write));
    });
  addApiCommands(program, resolved);
  addConsoleCommand(program, resolved);
  addLocalCommands(program, resolved);
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[], write?: (text: string) => void, io: Partial<CliIo> = {}): Promise<number> {
  const program = buildProgram(write, io);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return (program.getOptionValue('exitCode') as number | undefined) ?? 0;
}
