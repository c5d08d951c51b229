import type { z } from 'zod';

/** Thrown when the configuration is invalid; `problems` lists every one as `path: message`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid conductor configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

/** Every issue of a zod error as `path: message`, in document order. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${dottedPath(issue.path)}: ${issue.message}`);
}
