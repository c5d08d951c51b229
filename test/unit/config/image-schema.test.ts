import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { problemsOf } from '../../support/config-problems.js';

/** One minimal environment with the given `image` block (omitted when undefined). */
function withImage(image: unknown): unknown {
  return {
    environments: {
      'cgap-prod': {
        repository: 'cgap-prod',
        codebuild: { project: 'cgap-prod' },
        cluster: 'cgap-prod',
        services: { wsgi: { service: 'cgap-prod-wsgi', desiredCount: 2 } },
        ...(image === undefined ? {} : { image }),
      },
    },
  };
}

describe('environment image settings', () => {
  it("defaults to the recipe's user and renderer", () => {
    expect(parseConductorConfig(withImage(undefined)).environments['cgap-prod']?.image).toEqual({
      shape: 'per-entrypoint',
      appUser: 'app',
    });
    expect(parseConductorConfig(withImage({})).environments['cgap-prod']?.image).toEqual({
      shape: 'per-entrypoint',
      appUser: 'app',
    });
  });

  it("takes CGAP's settings: user nginx, configured by its own assume_identity step", () => {
    const image = { appUser: 'nginx', configureCommand: 'python -m assume_identity' };
    expect(parseConductorConfig(withImage(image)).environments['cgap-prod']?.image).toEqual({
      shape: 'per-entrypoint',
      ...image,
    });
  });

  it.each([
    [{ appUser: 'Nginx' }, 'environments.cgap-prod.image.appUser: must be a POSIX user name such as "nginx"'],
    [{ appUser: '-x' }, 'environments.cgap-prod.image.appUser: must be a POSIX user name such as "nginx"'],
    [{ appUser: 'a'.repeat(33) }, 'environments.cgap-prod.image.appUser: must be a POSIX user name such as "nginx"'],
    [
      { appUser: 'root' },
      'environments.cgap-prod.image.appUser: must not be root: the containers run as a non-root user',
    ],
    [{ configureCommand: '  ' }, 'environments.cgap-prod.image.configureCommand: must not be empty'],
    [{ configureCommand: 'a\nb' }, 'environments.cgap-prod.image.configureCommand: must be one line'],
    [{ appUser: 'nginx', user: 'x' }, 'environments.cgap-prod.image: Unrecognized key: "user"'],
  ])('rejects %j, naming the field', (image, problem) => {
    expect(problemsOf(withImage(image))).toEqual([problem]);
  });
});
