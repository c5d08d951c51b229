import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from './image/requirements.js';
import { DOCKER_DIR } from './sandbox.js';

/**
 * Builds docker/Dockerfile for real, without a Docker engine: Debian's buildah (daemonless, chroot
 * isolation, vfs storage in a temp dir) on a tiny busybox base image made here from Debian's static
 * busybox, since no registry can be reached. Skipped, saying why, only outside CI when buildah or
 * busybox-static is missing or not root; cgap-image.test.ts builds and runs a full app image.
 */
const BUSYBOX = '/bin/busybox';
const skip = skipReason(['buildah'], [BUSYBOX]);

const BASE_DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "mkdir", "-p", "/usr/bin", "/sbin", "/usr/sbin", "/tmp", "/etc", "/app"]
RUN ["/bin/busybox", "--install", "-s"]
RUN echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd && echo 'root:x:0:' >/etc/group && chmod 1777 /tmp
WORKDIR /app
CMD ["sh"]
`;

describe.skipIf(skip !== '')(`docker/Dockerfile built with buildah${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-buildah-'));
  const buildah = (...args: string[]) =>
    spawnSync(
      'buildah',
      ['--root', join(dir, 'storage'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs', ...args],
      {
        encoding: 'utf8',
      },
    );
  const build = (entrypoint: string, tag: string, ...buildArgs: string[]) =>
    buildah(
      'bud',
      '--isolation',
      'chroot',
      '--pull-never',
      '-f',
      join(DOCKER_DIR, 'Dockerfile'),
      '--build-arg',
      'BASE_IMAGE=localhost/conductor-test-base:1',
      '--build-arg',
      `ENTRYPOINT=${entrypoint}`,
      ...buildArgs.flatMap((arg) => ['--build-arg', arg]),
      '-t',
      tag,
      DOCKER_DIR,
    ); // prettier-ignore

  beforeAll(() => {
    const base = join(dir, 'base');
    mkdirSync(base);
    copyFileSync(BUSYBOX, join(base, 'busybox'));
    writeFileSync(join(base, 'Dockerfile'), BASE_DOCKERFILE);
    const result = buildah('bud', '--isolation', 'chroot', '-t', 'localhost/conductor-test-base:1', base);
    if (result.status !== 0) throw new Error(`building the busybox base failed:\n${result.stderr}`);
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the indexer image: its entrypoint, a non-root user, read-only scripts', { timeout: 60_000 }, () => {
    // The busybox base has no bash or python: skip the tool check, the image is inspected, not run.
    const built = build('indexer', 'localhost/conductor-test:1.4.0-indexer', 'REQUIRED_TOOLS=sh');
    expect(built.stderr).not.toMatch(/error/i);
    expect(built.status).toBe(0);

    const config = buildah(
      'inspect',
      '--format',
      '{{.OCIv1.Config.Entrypoint}} {{.OCIv1.Config.User}} {{.OCIv1.Config.WorkingDir}}',
      'localhost/conductor-test:1.4.0-indexer',
    );
    expect(config.stdout.trim()).toBe('[/opt/conductor/entrypoint] app /app');

    const container = buildah('from', '--pull-never', 'localhost/conductor-test:1.4.0-indexer').stdout.trim();
    const inside = buildah(
      'run',
      '--isolation',
      'chroot',
      container,
      '--',
      'sh',
      '-c',
      'id -u; readlink /opt/conductor/entrypoint; ls /opt/conductor/lib; touch /opt/conductor/x 2>/dev/null || echo read-only',
    ); // prettier-ignore
    buildah('rm', container);
    expect(inside.stdout.split('\n').filter(Boolean)).toEqual([
      '10001',
      'entrypoint_indexer.sh',
      'aws_call.py',
      'common.sh',
      'load_config.py',
      'sigv4.py',
      'task_protection.py',
      'task_protection.sh',
      'read-only',
    ]);
  });

  it('fails the build when the base image lacks a tool the entrypoint needs', { timeout: 60_000 }, () => {
    const built = build('entrypoint_ingester.sh', 'localhost/conductor-test:missing-tools');
    expect(built.status).not.toBe(0);
    // The RUN step's own stderr reaches buildah's stdout or stderr depending on timing: read both.
    expect(built.stdout + built.stderr).toMatch(/the base image lacks 'bash', needed by entrypoint_ingester\.sh/);
  });

  it('fails the build for an unknown entrypoint', { timeout: 60_000 }, () => {
    const built = build('nope', 'localhost/conductor-test:nope', 'REQUIRED_TOOLS=sh');
    expect(built.status).not.toBe(0);
    expect(built.stdout + built.stderr).toMatch(/ENTRYPOINT=nope names no entrypoint/);
  });
});
