import { readConductorDocument } from '../config/file.js';
import { ConfigError, parseConductorConfig } from '../config/load.js';
import { stackEnvironments } from '../config/stack-names.js';
import { withStackStandIns } from '../config/stack-stand-ins.js';

/**
 * `config validate FILE`: 0 when valid, 1 with every problem listed otherwise. Offline: the names
 * an environment takes from its stack are checked when they are filled in (packaging, local mode).
 */
export function validateConfigCommand(
  file: string,
  options: { json?: boolean },
  write: (text: string) => void,
): number {
  try {
    const document = readConductorDocument(file);
    const config = parseConductorConfig(withStackStandIns(document));
    const environments = Object.keys(config.environments);
    const stacks = stackEnvironments(document);
    const fromStacks = Object.entries(stacks).map(([env, stack]) => `${env}: names from stack ${stack}`);
    write(
      options.json
        ? `${JSON.stringify({ valid: true, environments, stacks })}\n`
        : `${file}: valid (${environments.join(', ')})${fromStacks.map((line) => `\n  ${line}, checked when packaged or in local mode`).join('')}\n`,
    );
    return 0;
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems : [`(file): ${(error as Error).message}`];
    write(
      options.json
        ? `${JSON.stringify({ valid: false, problems })}\n`
        : `${file}: invalid\n  ${problems.join('\n  ')}\n`,
    );
    return 1;
  }
}
