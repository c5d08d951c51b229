import { Command, CommanderError } from 'commander';
import { validateConfigCommand } from './validate-config.js';

/** Builds the `ecs-conductor` command tree; later capabilities add their verbs here. */
export function buildProgram(write: (text: string) => void = (text) => process.stdout.write(text)): Command {
  const program = new Command('ecs-conductor')
    .description('Release and scaling control plane for container applications on AWS ECS')
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write });
  const config = program.command('config').description('work with the conductor configuration');
  config
    .command('validate')
    .description('validate a config file offline and list every problem with its path')
    .argument('[file]', 'YAML or JSON config file', 'conductor.yml')
    .option('--json', 'print the result as JSON')
    .action((file: string, options: { json?: boolean }) => {
      program.setOptionValue('exitCode', validateConfigCommand(file, options, write));
    });
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[], write?: (text: string) => void): Promise<number> {
  const program = buildProgram(write);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return (program.getOptionValue('exitCode') as number | undefined) ?? 0;
}
