import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConductorConfig } from '../../../src/config/load.js';
import { decideImagePush, type ImageAction } from '../../../src/domain/image-push.js';

const config = parseConductorConfig(parse(readFileSync(new URL('../../../conductor.yml', import.meta.url), 'utf8')));
const digest = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234';
const push = (overrides: Partial<ImageAction>): ImageAction => ({
  action: 'PUSH',
  result: 'SUCCESS',
  repository: 'cgap-mastertest',
  digest,
  tag: '1.4.0',
  ...overrides,
});

describe('decideImagePush', () => {
  it.each([['1.4.0'], ['v2.0.11'], ['0a1b2c3d'], ['4f1e2d3c4b5a69788f1e2d3c4b5a69788f1e2d3c']])(
    'builds a release for source tag %s',
    (tag) => {
      expect(decideImagePush(config.environments, push({ tag }))).toEqual([
        { kind: 'build', environment: 'cgap-mastertest', version: tag, digest },
      ]);
    },
  );

  it.each([
    [
      'a derived entrypoint tag (the build loop)',
      push({ tag: '1.4.0-indexer' }),
      'tag "1.4.0-indexer" is a derived entrypoint tag (suffix -indexer) of cgap-mastertest',
    ],
    [
      'a moving alias',
      push({ tag: 'latest-wsgi' }),
      'tag "latest-wsgi" is a derived entrypoint tag (suffix -wsgi) of cgap-mastertest',
    ],
    [
      'a tag outside the source pattern',
      push({ tag: 'latest' }),
      'tag "latest" does not match cgap-mastertest\'s sourceTagPattern',
    ],
    ['another repository', push({ repository: 'tibanna-awsf' }), 'repository tibanna-awsf belongs to no environment'],
    ['an untagged manifest', push({ tag: undefined }), 'untagged manifest'],
    ['a delete', push({ action: 'DELETE' }), 'DELETE is not a push'],
    ['a failed push', push({ result: 'FAILURE' }), 'push result FAILURE'],
  ])('ignores %s with its reason', (_name, action, reason) => {
    expect(decideImagePush(config.environments, action)).toEqual([{ kind: 'ignore', reason }]);
  });

  it('builds for every environment sharing the repository', () => {
    const shared = parseConductorConfig({
      environments: Object.fromEntries(
        ['staging', 'preview'].map((name) => [
          name,
          {
            repository: 'app',
            codebuild: { project: name },
            cluster: name,
            services: { wsgi: { service: `${name}-wsgi`, desiredCount: 1 } },
          },
        ]),
      ),
    });
    expect(
      decideImagePush(shared.environments, push({ repository: 'app' })).map(
        (decision) => decision.kind === 'build' && decision.environment,
      ),
    ).toEqual(['staging', 'preview']);
  });

  it.each([['team/app'], ['arn:aws:ecr:us-east-1:123456789012:repository/team/app']])(
    'matches a repository name with a namespace (%s) as ECR reports it: team/app, not app',
    (repository) => {
      const namespaced = parseConductorConfig({
        environments: {
          staging: {
            repository,
            codebuild: { project: 'app' },
            cluster: 'app',
            services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } },
          },
        },
      });
      expect(decideImagePush(namespaced.environments, push({ repository: 'team/app' }))).toEqual([
        { kind: 'build', environment: 'staging', version: '1.4.0', digest },
      ]);
      expect(decideImagePush(namespaced.environments, push({ repository: 'app' }))).toEqual([
        { kind: 'ignore', reason: 'repository app belongs to no environment' },
      ]);
    },
  );
});

describe('decideImagePush in a single-image environment', () => {
  const single = parseConductorConfig(
    parse(readFileSync(new URL('../../fixtures/config/single-image.yml', import.meta.url), 'utf8')),
  );
  const pushed = (tag: string) => decideImagePush(single.environments, push({ repository: 'cgap-single', tag }));

  it('makes a release of a source tag', () => {
    expect(pushed('0ddba11c0ffee')).toEqual([
      { kind: 'build', environment: 'cgap-single', version: '0ddba11c0ffee', digest },
    ]);
  });

  it.each(['latest', '1.4.0-wsgi', 'latest-wsgi'])('still ignores %s, which is not a source tag', (tag) => {
    expect(pushed(tag)).toEqual([
      { kind: 'ignore', reason: `tag "${tag}" does not match cgap-single's sourceTagPattern` },
    ]);
  });
});
