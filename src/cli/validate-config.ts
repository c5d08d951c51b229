import { readConductorSource } from '../config/file.js';
import {
  formatProblem,
  locatedProblems,
  type ConductorSource,
  type LocatedProblem,
} from '../config/located-problems.js';
import { conductorConfigSchema } from '../config/schema.js';
import { stackEnvironments } from '../config/stack-names.js';
import { withStackStandIns } from '../config/stack-stand-ins.js';

/**
 * Every problem of the file, each located: YAML syntax errors alone when there are any (the schema
 * would only bury them under what it makes of a half-read document), else fields and cross-field rules.
 */
function validate(source: ConductorSource): { problems: LocatedProblem[]; environments: string[] } {
  if (source.syntaxErrors.length > 0) {
    return { problems: source.syntaxErrors.map((syntax) => ({ path: '(yaml)', ...syntax })), environments: [] };
  }
  const result = conductorConfigSchema.safeParse(withStackStandIns(source.document));
  if (result.success) return { problems: [], environments: Object.keys(result.data.environments) };
  return { problems: locatedProblems(result.error, source, conductorConfigSchema), environments: [] };
}

/**
 * `config validate FILE`: 0 when valid, 1 with every problem listed otherwise, each with its line and
 * column. Offline: the names an environment takes from its stack are checked when they are filled in
 * (packaging, local mode).
 */
export function validateConfigCommand(
  file: string,
  options: { json?: boolean },
  write: (text: string) => void,
): number {
  let source: ConductorSource;
  try {
    source = readConductorSource(file);
  } catch (error) {
    const problem = `(file): ${(error as Error).message}`;
    write(
      options.json ? `${JSON.stringify({ valid: false, problems: [problem] })}\n` : `${file}: invalid\n  ${problem}\n`,
    );
    return 1;
  }
  const { problems, environments } = validate(source);
  if (problems.length > 0) {
    write(
      options.json
        ? `${JSON.stringify({ valid: false, problems })}\n`
        : `${file}: invalid (${String(problems.length)} ${problems.length === 1 ? 'problem' : 'problems'})\n  ${problems.map((problem) => formatProblem(file, problem)).join('\n  ')}\n`,
    );
    return 1;
  }
  const stacks = stackEnvironments(source.document);
  const fromStacks = Object.entries(stacks).map(([env, stack]) => `${env}: names from stack ${stack}`);
  write(
    options.json
      ? `${JSON.stringify({ valid: true, environments, stacks })}\n`
      : `${file}: valid (${environments.join(', ')})${fromStacks.map((line) => `\n  ${line}, checked when packaged or in local mode`).join('')}\n`,
  );
  return 0;
}
