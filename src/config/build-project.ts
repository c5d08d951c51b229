/**
 * Whether an environment builds its images, and on which project. Apart from the schema (which
 * re-exports both) so that the Lambdas, which run the config already validated (cold-start.ts),
 * can ask without bundling the schema and zod.
 */

/** The build project an environment's releases run on; `managed` when the stack creates it. */
export interface BuildProjectConfig {
  project: string;
  managed: boolean;
}

/** Per-entrypoint environments build; single-image ones have no build project. */
export function buildsImages<E extends { codebuild: BuildProjectConfig | undefined }>(
  env: E,
): env is E & { codebuild: BuildProjectConfig } {
  return env.codebuild !== undefined;
}
