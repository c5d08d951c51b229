import type { Command } from 'commander';
import type { LocalTarget } from '../local/push.js';
import type { CliIo } from './api-commands.js';
import { colourError, colourWanted } from './colour.js';
import { localTarget, type LocalTargetOptions } from './local-target.js';

export type LocalAction = (target: LocalTarget, json: boolean) => Promise<number>;

/**
 * Adds the URL options every local verb takes and runs its action with the checked target (the invoke
 * endpoint too when the verb invokes a function); errors exit 1.
 */
export function localVerb(
  program: Command,
  command: Command,
  io: CliIo,
  action: LocalAction,
  invokes = false,
): Command {
  return command
    .option(
      '--emulator-url <url>',
      'local mode’s AWS emulator (default: $CONDUCTOR_EMULATOR_URL or http://127.0.0.1:5000)',
    )
    .option(
      '--lambda-url <url>',
      'its Lambda invoke endpoint (default: $CONDUCTOR_LAMBDA_URL or http://127.0.0.1:3002)',
    )
    .action(async () => {
      const options = command.optsWithGlobals<LocalTargetOptions & { json?: boolean }>();
      try {
        const target = await localTarget(options, io.env, io.fetch, invokes);
        program.setOptionValue('exitCode', await action(target, options.json === true));
      } catch (error) {
        io.writeError(colourError(`error: ${(error as Error).message}\n`, colourWanted(io)));
        program.setOptionValue('exitCode', 1);
      }
    });
}
