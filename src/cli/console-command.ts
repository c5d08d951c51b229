import { InvalidArgumentError, type Command } from 'commander';
import { apiClientOptions, type CliIo, type GlobalOptions } from './api-commands.js';
import { renderError } from './render.js';
import { DEFAULT_CONSOLE_PORT, startConsole } from '../console/start.js';

/** `ecs-conductor console [--port N] [--config FILE]`: serves the console until Ctrl-C. */

function port(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65_535)
    throw new InvalidArgumentError('must be a TCP port number (0 picks one)');
  return parsed;
}

/** Settles on the first SIGINT or SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
}

export function addConsoleCommand(program: Command, io: CliIo, stopped: () => Promise<void> = untilStopped): void {
  const command = program
    .command('console')
    .description(
      'serve the operator console on 127.0.0.1: the browser’s API calls go out with your token or AWS credentials',
    )
    .option('--port <n>', `port on 127.0.0.1 (0 picks a free one)`, port, DEFAULT_CONSOLE_PORT)
    .option('--config <file>', 'conductor config to show deploy plans from (the rollout order)');
  command.action(async (local: { port: number; config?: string }) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    try {
      const server = await startConsole({
        api: apiClientOptions(options, io),
        port: local.port,
        configPath: local.config,
      });
      io.write(`ecs-conductor console for ${apiClientOptions(options, io).baseUrl}\n`);
      io.write(`open ${server.url}\n(the link holds this session's key; Ctrl-C stops the console)\n`);
      await stopped();
      await server.close();
      program.setOptionValue('exitCode', 0);
    } catch (error) {
      io.writeError(renderError(error));
      program.setOptionValue('exitCode', 1);
    }
  });
}
