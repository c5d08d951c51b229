import { Option, type Command } from 'commander';
import { commandKit, DEFAULT_API, type CliIo } from './command-kit.js';
import { addReadCommands } from './read-commands.js';
import { addGateCommands } from './gate-commands.js';
import { addReleaseCommands } from './release-commands.js';
import { addScaleCommand } from './scale-command.js';

/** The commands that talk to the conductor API: status, releases, build, deploy, rollback, redeploy, adopt, scale, watch. */

export { apiClientOptions, type CliIo, type GlobalOptions } from './command-kit.js';

/** Registers the API commands and their global options on the program; each sets the program's `exitCode`. */
export function addApiCommands(program: Command, io: CliIo): void {
  program
    .option('--api <url>', `API base URL (default: $CONDUCTOR_API_URL or ${DEFAULT_API})`)
    // No commander default: help output must never print the token.
    .option(
      '--token <token>',
      'API bearer token (default: $CONDUCTOR_API_TOKEN); without one, https APIs are called with SigV4',
    )
    .addOption(
      new Option('--auth <mode>', 'auto: the token if any, else SigV4 for https')
        .choices(['auto', 'token', 'sigv4', 'none'])
        .default('auto'),
    )
    .option('--region <region>', 'SigV4 region when the API URL does not name one (default: $AWS_REGION)')
    .option('--json', 'print the raw JSON replies (for scripts)');
  const kit = commandKit(program, io);
  addReadCommands(program, kit);
  addReleaseCommands(program, kit);
  addGateCommands(program, kit);
  addScaleCommand(program, kit);
}
