import type * as z from 'zod';
import { closestKey, knownKeysAt } from './suggest.js';

export interface SourcePosition {
  line: number;
  column: number;
}

export interface ConductorSource {
  /** The document as written (undefined parts where YAML could not be read). */
  document: unknown;
  /** Problems YAML itself found, with where. */
  syntaxErrors: (SourcePosition & { message: string })[];
  /** Where a document path is written: its key, or the nearest written ancestor's when it is missing. */
  locate: (path: readonly PropertyKey[]) => SourcePosition;
}

/** One problem of a config file, where it is written and what to do about it. */
export interface LocatedProblem extends SourcePosition {
  path: string;
  message: string;
}

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[String(segment)];
  }
  return value;
}

/** The problems one zod issue stands for: an unknown key each, with a suggestion when one is close. */
function problemsOf(issue: z.core.$ZodIssue, source: ConductorSource, schema: z.ZodType) {
  const at = (path: readonly PropertyKey[], message: string): LocatedProblem => ({
    path: dotted(path),
    ...source.locate(path),
    message,
  });
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(schema, issue.path);
    return issue.keys.map((key) => {
      const suggestion = closestKey(key, known);
      return at([...issue.path, key], `unknown key${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
    });
  }
  if (issue.code === 'invalid_type' && valueAt(source.document, issue.path) === undefined) {
    return [at(issue.path, `missing required key (expected ${issue.expected})`)];
  }
  return [at(issue.path, issue.message)];
}

/** Every issue of a validation, located in the file and in the order the file is written. */
export function locatedProblems(error: z.ZodError, source: ConductorSource, schema: z.ZodType): LocatedProblem[] {
  const problems = error.issues.flatMap((issue) => problemsOf(issue, source, schema));
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** `file:line:column path: message`, as editors and terminals link it. */
export function formatProblem(file: string, problem: LocatedProblem): string {
  return `${file}:${String(problem.line)}:${String(problem.column)} ${problem.path}: ${problem.message}`;
}
