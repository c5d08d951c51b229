import type { Command } from 'commander';
import { path, type CommandKit } from './command-kit.js';

/** The answers to a deploy waiting at an environment's approval gate: approve, reject. */
export function addGateCommands(program: Command, { run, print, asRelease }: CommandKit): void {
  const answers = [
    ['approve', 'approvals', 'approve a deploy waiting at the approval gate: it rolls out'],
    ['reject', 'rejections', 'reject a deploy waiting at the approval gate: the release goes back to where it was'],
  ] as const;
  for (const [verb, resource, description] of answers) {
    const command = program
      .command(verb)
      .description(description)
      .argument('<env>', 'environment name')
      .argument('<version>', 'the version whose deploy awaits approval')
      .option('--reason <text>', 'why, for the release timeline and notices');
    command.action((env: string, version: string, local: { reason?: string }) =>
      run(command, async (client, options) => {
        const { body } = await client.request('POST', `${path('environments', env)}/${resource}`, {
          body: { version, ...(local.reason === undefined ? {} : { reason: local.reason }) },
        });
        return print(options, body, asRelease);
      }),
    );
  }
}
