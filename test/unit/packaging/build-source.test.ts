import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureVenv, venvBin } from '../../../scripts/lib/venv.js';
import { inlineBuildspec, readBuildSource } from '../../../src/packaging/build-source.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');

interface Spec {
  env?: unknown;
  phases: Record<string, { 'on-failure'?: string; commands: string[] }>;
}

const fileSpec = parse(readFileSync(join(PROJECT_ROOT, 'buildspec', 'buildspec.yml'), 'utf8')) as Spec;
const inlined = parse(inlineBuildspec(readBuildSource(PROJECT_ROOT))) as Spec;
const unpack = inlined.phases.install?.commands ?? [];

/** Every file under `dir`, relative to it, with its mode's executable bit. */
function filesIn(root: string, dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return filesIn(root, path);
    return [`${path}${statSync(join(root, path)).mode & 0o111 ? ' (executable)' : ''}`];
  });
}

describe('the inline buildspec of a created build project', () => {
  let workDir: string;
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'inline-buildspec-'));
  });
  afterEach(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('keeps every phase and setting of buildspec/buildspec.yml', () => {
    const { install, ...phases } = inlined.phases;
    expect(phases).toEqual(fileSpec.phases);
    expect(inlined.env).toEqual(fileSpec.env);
    expect(install?.['on-failure']).toBe('ABORT');
  });

  it('writes out docker/ byte for byte, executables executable, without docs or byte-code caches', () => {
    const result = spawnSync('bash', ['-e', '-c', unpack.join('\n')], { cwd: workDir, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const expected = filesIn(join(PROJECT_ROOT, 'docker')).filter((file) => !/\.md$|__pycache__|\.pyc( |$)/.test(file));
    expect(expected).toEqual(expect.arrayContaining(['Dockerfile', 'entrypoint_wsgi.sh (executable)']));
    expect(filesIn(join(workDir, 'docker')).sort()).toEqual(expected.sort());
    for (const file of expected.map((entry) => entry.replace(/ \(executable\)$/, ''))) {
      expect(
        readFileSync(join(workDir, 'docker', file)).equals(readFileSync(join(PROJECT_ROOT, 'docker', file))),
        file,
      ).toBe(true);
    }
  });

  it('has unpack commands that are clean under shellcheck', { timeout: 30_000 }, () => {
    if (!existsSync(venvBin('shellcheck'))) ensureVenv();
    const result = spawnSync(venvBin('shellcheck'), ['--format=gcc', '--shell=bash', '-'], {
      input: `#!/usr/bin/env bash\n${unpack.join('\n')}\n`,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
  });

  it('unpacks before an install phase the buildspec already has', () => {
    const spec =
      'version: 0.2\nphases:\n  install:\n    commands: [echo installed]\n  build:\n    commands: [echo built]\n';
    const file = { path: 'docker/Dockerfile', content: Buffer.from('FROM scratch\n'), executable: false };
    const phases = (parse(inlineBuildspec({ buildspec: spec, files: [file] })) as Spec).phases;
    expect(phases.install?.commands.at(-1)).toBe('echo installed');
    expect(phases.install?.commands[1]).toMatch(/> 'docker\/Dockerfile'$/);
    expect(phases.build?.commands).toEqual(['echo built']);
  });

  it('refuses a file path that could break out of its quotes or directory', () => {
    const file = { path: "docker/it's", content: Buffer.from(''), executable: false };
    expect(() => inlineBuildspec({ buildspec: 'version: 0.2\n', files: [file] })).toThrow(/unsafe path/);
  });
});
