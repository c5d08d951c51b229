import { readConductorConfigFile } from '../config/file.js';
import { ConfigError } from '../config/load.js';

/** `config validate FILE`: 0 when valid, 1 with every problem listed otherwise. */
export function validateConfigCommand(
  file: string,
  options: { json?: boolean },
  write: (text: string) => void,
): number {
  try {
    const config = readConductorConfigFile(file);
    const environments = Object.keys(config.environments);
    write(
      options.json
        ? `${JSON.stringify({ valid: true, environments })}\n`
        : `${file}: valid (${environments.join(', ')})\n`,
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
