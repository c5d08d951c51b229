import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureVenv, venvBin } from '../../../scripts/lib/venv.js';
import { parseConductorConfig } from '../../../src/config/load.js';
import { BUILD_VARIABLES, buildVariables } from '../../../src/domain/build-variables.js';
import { Sandbox } from '../docker/sandbox.js';
import { commandsOf, loadBuildspec, PROJECT_ROOT, runBuildspec } from './codebuild.js';

/** Variables CodeBuild sets in every build (AWS_ACCOUNT_ID is an optional project variable, see the buildspec). */
const CODEBUILD_PROVIDED = ['AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_ACCOUNT_ID'];
const isCodebuildProvided = (name: string): boolean =>
  CODEBUILD_PROVIDED.includes(name) || name.startsWith('CODEBUILD_');

/** Shell variable references: $NAME and ${NAME...}, not $(...) or $?. */
const referencesIn = (command: string): string[] =>
  [...command.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? '');
/** Variables a command assigns: `NAME=...` or `export NAME=...` at the start or after `;`, `)`, `&&`, `then`. */
const assignmentsIn = (command: string): string[] =>
  [...command.matchAll(/(?:^|[;)&|]\s*|then\s+|export\s+)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((match) => match[1] ?? '');

const buildspec = loadBuildspec();
const commands = commandsOf(buildspec);

/** The example config's CGAP indexer at version 1.4.0, as the conductor will pass it. */
function cgapIndexerVariables(aliasPrefix?: string): Record<string, string> {
  const config = parseConductorConfig(parse(readFileSync(`${PROJECT_ROOT}/conductor.yml`, 'utf8')));
  const environment = config.environments['cgap-mastertest'];
  const entrypoint = environment?.entrypoints.find((candidate) => candidate.name === 'indexer');
  if (!environment || !entrypoint) throw new Error('conductor.yml no longer has the cgap-mastertest indexer');
  return buildVariables({
    environment,
    entrypoint,
    version: '1.4.0',
    ...(aliasPrefix === undefined ? {} : { aliasPrefix }),
  });
}

describe('buildspec/buildspec.yml structure', () => {
  it('is a version 0.2 buildspec with bash and pre_build, build and post_build commands', () => {
    expect(buildspec.version).toBe(0.2);
    expect(buildspec.env?.shell).toBe('bash');
    for (const phase of ['pre_build', 'build', 'post_build']) {
      expect(buildspec.phases[phase]?.commands?.length, phase).toBeGreaterThan(0);
      for (const command of buildspec.phases[phase]?.commands ?? []) expect(typeof command).toBe('string');
    }
  });

  it('never runs a phase after a failed one, so a broken build pushes nothing', () => {
    expect(buildspec.phases.pre_build?.['on-failure']).toBe('ABORT');
    expect(buildspec.phases.build?.['on-failure']).toBe('ABORT');
    expect(buildspec.phases.post_build?.commands?.[0]).toMatch(/CODEBUILD_BUILD_SUCCEEDING/);
  });

  it('exports the pushed image and digest into the build details', () => {
    expect(buildspec.env?.['exported-variables']).toEqual(['IMAGE_URI', 'IMAGE_DIGEST']);
  });

  it('uses only variables the conductor passes, CodeBuild provides or the buildspec defines', () => {
    const defined = new Set([...Object.keys(buildspec.env?.variables ?? {}), ...commands.flatMap(assignmentsIn)]);
    const foreign = commands
      .flatMap(referencesIn)
      .filter(
        (name) =>
          !(BUILD_VARIABLES as readonly string[]).includes(name) && !isCodebuildProvided(name) && !defined.has(name),
      );
    expect([...new Set(foreign)]).toEqual([]);
  });

  it('uses every variable the conductor passes', () => {
    const used = new Set(commands.flatMap(referencesIn));
    expect(BUILD_VARIABLES.filter((name) => !used.has(name))).toEqual([]);
  });

  it('has commands that are clean under shellcheck', { timeout: 30_000 }, () => {
    if (!existsSync(venvBin('shellcheck'))) ensureVenv();
    const script = `#!/usr/bin/env bash\n${commands.join('\n')}\n`;
    const result = spawnSync(venvBin('shellcheck'), ['--format=gcc', '--shell=bash', '-'], {
      input: script,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
  });
});

describe('buildspec/buildspec.yml run with stub docker and aws', () => {
  let sandbox: Sandbox;
  const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
  const uri = `${registry}/cgap-mastertest`;

  beforeEach(() => {
    sandbox = new Sandbox();
    sandbox.stub('aws', 'journal "aws $*"; [ "$1 $2" != "ecr get-login-password" ] || echo token');
    // `FAIL_DOCKER=build` makes `docker build` fail; inspect answers with a digest as after a push.
    sandbox.stub(
      'docker',
      [
        'journal "docker $*"',
        '[ "$1" != "${FAIL_DOCKER:-}" ] || exit 1',
        'if [ "$1" = inspect ]; then echo "${!#%:*}@sha256:0123456789abcdef"; fi',
      ].join('\n'),
    );
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  /** The build of one entrypoint, with what CodeBuild itself sets. */
  const run = (variables: Record<string, string>, extra: Record<string, string> = {}) =>
    runBuildspec(buildspec, sandbox.dir, {
      PATH: `${sandbox.bin}:${process.env.PATH ?? ''}`,
      SANDBOX: sandbox.dir,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_REGION: 'us-east-1',
      CODEBUILD_BUILD_ARN: 'arn:aws:codebuild:us-east-1:123456789012:build/cgap-mastertest:0f1e2d3c',
      CODEBUILD_BUILD_SUCCEEDING: '1',
      ...variables,
      ...extra,
    });

  it("builds CGAP's indexer 1.4.0 from buildVariables() on the 1.4.0 application image, pushes it and prints the digest", () => {
    const variables = cgapIndexerVariables();
    expect(variables).toEqual({
      ENTRYPOINT: 'indexer',
      SOURCE_TAG: '1.4.0',
      ECR_REPOSITORY: 'cgap-mastertest',
      IMAGE_TAG: '1.4.0-indexer',
      DOCKER_ENTRYPOINT: 'entrypoint_indexer.sh',
      ALIAS_TAG: '',
      APP_USER: 'nginx',
      CONFIGURE_COMMAND: 'python -m assume_identity',
    });

    const result = run(variables);

    expect(result.output).toMatch(`pushed ${uri}:1.4.0-indexer digest sha256:0123456789abcdef`);
    expect(result.status).toBe(0);
    // The two sides of the login pipe run at the same time: their order is not fixed.
    const journal = sandbox.journal();
    expect(journal.slice(0, 2).sort()).toEqual([
      'aws ecr get-login-password --region us-east-1',
      `docker login --username AWS --password-stdin ${registry}`,
    ]);
    expect(journal.slice(2)).toEqual([
      `docker build --file docker/Dockerfile --build-arg BASE_IMAGE=${uri}:1.4.0 --build-arg ENTRYPOINT=entrypoint_indexer.sh --build-arg APP_USER=nginx --build-arg CONFIGURE_COMMAND=python -m assume_identity --tag ${uri}:1.4.0-indexer docker`,
      `docker push ${uri}:1.4.0-indexer`,
      `docker inspect --format={{index .RepoDigests 0}} ${uri}:1.4.0-indexer`,
    ]);
  });

  it('also pushes the moving alias when one is configured', () => {
    const result = run(cgapIndexerVariables('latest'));

    expect(result.status).toBe(0);
    expect(sandbox.journal()).toEqual(
      expect.arrayContaining([
        `docker tag ${uri}:1.4.0-indexer ${uri}:latest-indexer`,
        `docker push ${uri}:latest-indexer`,
      ]),
    );
  });

  it('takes a repository URI as is, logging in to its own region', () => {
    const other = '210987654321.dkr.ecr.eu-west-1.amazonaws.com/cgap-prod';
    const result = run({ ...cgapIndexerVariables(), ECR_REPOSITORY: other });

    expect(result.status).toBe(0);
    expect(sandbox.journal().slice(0, 2).sort()).toEqual([
      'aws ecr get-login-password --region eu-west-1',
      'docker login --username AWS --password-stdin 210987654321.dkr.ecr.eu-west-1.amazonaws.com',
    ]);
  });

  it('fails without pushing when docker build fails', () => {
    const result = run(cgapIndexerVariables(), { FAIL_DOCKER: 'build' });

    expect(result.status).not.toBe(0);
    expect(sandbox.journal().some((line) => line.startsWith('docker push'))).toBe(false);
  });

  it('fails when the push fails, printing no digest', () => {
    const result = run(cgapIndexerVariables(), { FAIL_DOCKER: 'push' });

    expect(result.status).not.toBe(0);
    expect(result.output).not.toMatch(/digest/);
  });

  it('refuses to push over the source tag and fails without a required variable', () => {
    const overwrite = run({ ...cgapIndexerVariables(), IMAGE_TAG: '1.4.0' });
    expect(overwrite.status).not.toBe(0);
    expect(overwrite.output).toMatch(/refusing to overwrite the source tag 1.4.0/);

    const withoutSourceTag = Object.entries(cgapIndexerVariables()).filter(([name]) => name !== 'SOURCE_TAG');
    const missing = run(Object.fromEntries(withoutSourceTag));
    expect(missing.status).not.toBe(0);
    expect(missing.output).toMatch(/SOURCE_TAG is required/);
    expect(sandbox.journal()).toEqual([]);
  });
});
