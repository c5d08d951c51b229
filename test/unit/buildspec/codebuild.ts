import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** What the test needs of buildspec.yml (CodeBuild's buildspec version 0.2). */
export interface Buildspec {
  version: unknown;
  env?: { shell?: string; variables?: Record<string, string>; 'exported-variables'?: string[] };
  phases: Record<string, { 'on-failure'?: string; commands?: unknown[] } | undefined>;
}

export const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');
export const BUILDSPEC_FILE = join(PROJECT_ROOT, 'buildspec', 'buildspec.yml');
export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;

export function loadBuildspec(): Buildspec {
  return parse(readFileSync(BUILDSPEC_FILE, 'utf8')) as Buildspec;
}

/** Every command of every phase, in the order CodeBuild runs them. */
export function commandsOf(buildspec: Buildspec): string[] {
  return PHASES.flatMap((phase) => (buildspec.phases[phase]?.commands ?? []).map(String));
}

/**
 * Runs the buildspec's commands the way CodeBuild runs version 0.2 with `shell: bash`: one shell for
 * all commands (variables carry over), stopping at the first failing command. Each command is
 * sourced from its own file, so `exit` in a command ends the build as it does on CodeBuild.
 */
export function runBuildspec(
  buildspec: Buildspec,
  workDir: string,
  env: Record<string, string>,
): { status: number | null; output: string } {
  const lines = commandsOf(buildspec).map((command, index) => {
    const file = join(workDir, `command-${index + 1}.sh`);
    writeFileSync(file, `${command}\n`);
    return `source '${file}' || { status=$?; echo "command ${index + 1} failed with status $status" >&2; exit "$status"; }`;
  });
  const script = join(workDir, 'build.sh');
  writeFileSync(script, `${lines.join('\n')}\n`);
  const result = spawnSync('bash', [script], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}
