import { describe, expect, it } from 'vitest';
import { buildVersion } from '../../../src/use-cases/build-version.js';
import { NotBuildableError, UnknownEntrypointsError } from '../../../src/use-cases/errors.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { exampleEnvironment } from '../../support/example-config.js';

const target = exampleEnvironment();
const { name: ENV, env } = target;
const DIGEST = `sha256:${'c'.repeat(64)}`;
const OPERATOR = 'arn:aws:iam::123456789012:role/cgap-release';

/** A repository holding `tags` (all of one digest); builds start in the name of `req-1`. */
function world(tags: string[]) {
  const memory = inMemoryWorld();
  for (const tag of tags) memory.aws.images.set(`${env.repository}:${tag}`, DIGEST);
  return { ports: memory.ports('req-1'), started: memory.calls.startBuild, memory };
}

describe('buildVersion', () => {
  it('starts the builds of a pushed release version, as its push would', async () => {
    const { ports, started, memory } = world(['1.4.0']);
    const request = { version: '1.4.0', entrypoints: ['wsgi'], triggeredBy: OPERATOR };
    const { release } = await buildVersion(ports, target, request);
    expect(release).toMatchObject({
      environment: ENV,
      version: '1.4.0',
      sourceDigest: DIGEST,
      triggeredBy: OPERATOR,
      state: 'BUILDING',
    });
    expect(Object.keys(release.builds)).toEqual(['wsgi']);
    expect(started).toEqual([expect.objectContaining({ project: env.codebuild?.project })]);
    expect(started[0]?.environmentVariables).toMatchObject({ SOURCE_TAG: '1.4.0' });
    expect((await memory.ports('other').releases.get(release.id))?.release.builds.wsgi?.buildId).toBeDefined();
  });

  it('names every unknown entrypoint with its place in the request, before asking ECR', async () => {
    const { ports, started } = world([]);
    const request = { version: '1.4.0', entrypoints: ['wsgi', 'worker', 'cron'], triggeredBy: OPERATOR };
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
    await expect(buildVersion(ports, target, { version, triggeredBy: OPERATOR })).rejects.toEqual(
      new NotBuildableError(reason),
    );
    expect(started).toEqual([]);
  });
});
