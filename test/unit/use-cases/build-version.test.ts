import { describe, expect, it } from 'vitest';
import { buildVersion, type BuildVersionPorts } from '../../../src/use-cases/build-version.js';
import { NotBuildableError, UnknownEntrypointsError } from '../../../src/use-cases/errors.js';
import type { BuildRequest } from '../../../src/use-cases/start-release-builds.js';
import { aRelease } from '../../support/release-pages.js';
import { exampleEnvironment } from '../../support/example-config.js';

const target = exampleEnvironment();
const { name: ENV, env } = target;
const DIGEST = `sha256:${'c'.repeat(64)}`;
const OPERATOR = 'arn:aws:iam::123456789012:role/cgap-release';

/** A repository holding `tags` (all of one digest) and a recorder of the builds started. */
function world(tags: string[]) {
  const started: { request: BuildRequest; owner: string }[] = [];
  const ports: BuildVersionPorts = {
    registry: {
      imageDigest: (repository, tag) =>
        Promise.resolve(repository === env.repository && tags.includes(tag) ? DIGEST : undefined),
    },
    startBuilds: (_env, request, owner) => {
      started.push({ request, owner });
      return Promise.resolve({ release: aRelease({ id: 'rel-new', state: 'BUILDING' }), started: ['wsgi'] });
    },
  };
  return { ports, started };
}

describe('buildVersion', () => {
  it('starts the builds of a pushed release version, as its push would', async () => {
    const { ports, started } = world(['1.4.0']);
    const request = { version: '1.4.0', entrypoints: ['wsgi'], triggeredBy: OPERATOR, owner: 'req-1' };
    expect(await buildVersion(ports, target, request)).toMatchObject({ release: { id: 'rel-new' }, started: ['wsgi'] });
    expect(started).toEqual([
      {
        request: {
          environment: ENV,
          version: '1.4.0',
          sourceDigest: DIGEST,
          entrypoints: ['wsgi'],
          triggeredBy: OPERATOR,
          retryFailed: true,
        },
        owner: 'req-1',
      },
    ]);
  });

  it('names every unknown entrypoint with its place in the request, before asking ECR', async () => {
    const { ports, started } = world([]);
    const request = { version: '1.4.0', entrypoints: ['wsgi', 'worker', 'cron'], triggeredBy: OPERATOR, owner: 'r' };
    const refusal = await buildVersion(ports, target, request).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnknownEntrypointsError);
    expect(refusal).toMatchObject({
      unknown: [
        { index: 1, name: 'worker' },
        { index: 2, name: 'cron' },
      ],
      known: ['wsgi', 'indexer', 'ingester', 'deployment'],
    });
    expect(started).toEqual([]);
  });

  it.each([
    ['a version not in the repository', '9.9.9', `no image tagged "9.9.9" in repository ${env.repository}`],
    ['a derived tag', '1.4.0-wsgi', 'tag "1.4.0-wsgi" is a derived entrypoint tag (suffix -wsgi) of cgap-mastertest'],
    ['a tag outside the source pattern', 'nightly', 'tag "nightly" does not match cgap-mastertest\'s sourceTagPattern'],
  ])('refuses %s, starting nothing', async (_name, version, reason) => {
    const { ports, started } = world(['1.4.0-wsgi', 'nightly']);
    await expect(buildVersion(ports, target, { version, triggeredBy: OPERATOR, owner: 'r' })).rejects.toEqual(
      new NotBuildableError(reason),
    );
    expect(started).toEqual([]);
  });
});
