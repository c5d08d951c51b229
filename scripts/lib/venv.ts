import { execFileSync } from 'node:child_process';
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

/**
 * Creates `.venv` and installs the pinned Python tools (moto server, cfn-lint) when missing or when
 * requirements-dev.txt changed since the last install. Nothing is installed globally.
 */
export function ensureVenv(log: (line: string) => void = console.log): void {
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return;
  const python = process.env.PYTHON ?? 'python3';
  if (!existsSync(venvBin('python'))) {
    log(`creating ${VENV_DIR} with ${python}`);
    execFileSync(python, ['-m', 'venv', VENV_DIR], { stdio: 'inherit' });
  }
  log('installing Python tools from requirements-dev.txt');
  execFileSync(
    venvBin('python'),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS],
    {
      stdio: 'inherit',
    },
  );
  writeFileSync(STAMP, wanted);
}
