import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
export const VENV_DIR = join(PROJECT_ROOT, '.venv');
const REQUIREMENTS = join(PROJECT_ROOT, 'requirements-dev.txt');
const STAMP = join(VENV_DIR, '.requirements.sha256');

/** Path of an executable installed in the project's virtual environment. */
export function venvBin(name: string): string {
  return join(VENV_DIR, 'bin', name);
}

/** The requirements' hash when the installed tools are not theirs (or none are installed); undefined when current. */
function requirementsToInstall(): string | undefined {
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted ? undefined : wanted;
}

const PYTHON = process.env.PYTHON ?? 'python3';
const PIP_INSTALL = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS];

/**
 * Creates `.venv` and installs the pinned Python tools (moto server, cfn-lint) when missing or when
 * requirements-dev.txt changed since the last install. Nothing is installed globally.
 */
export function ensureVenv(log: (line: string) => void = console.log): void {
  const wanted = requirementsToInstall();
  if (wanted === undefined) return;
  if (!existsSync(venvBin('python'))) {
    log(`creating ${VENV_DIR} with ${PYTHON}`);
    execFileSync(PYTHON, ['-m', 'venv', VENV_DIR], { stdio: 'inherit' });
  }
  log('installing Python tools from requirements-dev.txt');
  execFileSync(venvBin('python'), PIP_INSTALL, { stdio: 'inherit' });
  writeFileSync(STAMP, wanted);
}

function run(command: string, args: string[], output: string[]): Promise<number> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => output.push(`${error.message}\n`));
    child.once('close', (code) => {
      resolveRun(code ?? 1);
    });
  });
}

/**
 * ensureVenv without blocking: what `npm test` starts first, so the checks that need no Python tool
 * (typecheck, lint) run while pip installs. Resolves to the exit status (0: ready) and what it printed.
 */
export async function ensureVenvInBackground(): Promise<{ status: number; output: string }> {
  const wanted = requirementsToInstall();
  if (wanted === undefined) return { status: 0, output: '' };
  const output: string[] = [];
  if (!existsSync(venvBin('python'))) {
    output.push(`creating ${VENV_DIR} with ${PYTHON}\n`);
    const created = await run(PYTHON, ['-m', 'venv', VENV_DIR], output);
    if (created !== 0) return { status: created, output: output.join('') };
  }
  output.push('installing Python tools from requirements-dev.txt\n');
  const status = await run(venvBin('python'), PIP_INSTALL, output);
  if (status === 0) writeFileSync(STAMP, wanted);
  return { status, output: output.join('') };
}
