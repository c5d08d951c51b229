import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
const SERVERLESS_BIN = join(PROJECT_ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');

export interface CommandResult {
  code: number;
  output: string;
}

/** Runs a command from the project root with dummy credentials and no network needed. */
export function run(command: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((resolveRun) => {
    execFile(
      command,
      args,
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 240_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolveRun({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

export interface PackageResult extends CommandResult {
  dir: string;
}

/** `serverless package` into a fresh folder, so tests never touch the developer's `.serverless/`. */
export async function packageService(args: string[] = [], env: Record<string, string> = {}): Promise<PackageResult> {
  const dir = await mkdtemp(join(tmpdir(), 'conductor-package-'));
  const buildDir = join('.conductor', `build-${basename(dir)}`);
  const result = await run(
    process.execPath,
    [SERVERLESS_BIN, 'package', '--stage', 'ci', '--region', 'us-east-1', '--package', dir, ...args],
    {
      CONDUCTOR_BUILD_DIR: buildDir,
      ...env,
    },
  );
  return { ...result, dir };
}

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown }>;
}

export function readTemplate(dir: string): CfnTemplate {
  return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
}
