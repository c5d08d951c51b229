import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { buildProjectResources } from '../../../src/packaging/build-projects.js';
import { functionPolicyStatements } from '../../../src/packaging/iam-policies.js';
import { problemsOf } from '../../support/config-problems.js';

const environment = (overrides: Record<string, unknown> = {}) => ({
  repository: 'app',
  cluster: 'app',
  services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } },
  ...overrides,
});
const singleImage = (overrides: Record<string, unknown> = {}) =>
  environment({ image: { shape: 'single-image' }, ...overrides });

describe('image.shape', () => {
  it('defaults to per-entrypoint, with its build project named', () => {
    const env = parseConductorConfig({ environments: { staging: environment() } }).environments.staging;
    expect(env?.image.shape).toBe('per-entrypoint');
    expect(env?.codebuild).toEqual({ project: 'ecs-conductor-staging-build', managed: true });
  });

  it('gives a single-image environment no build project', () => {
    const env = parseConductorConfig({ environments: { cgap: singleImage() } }).environments.cgap;
    expect(env?.image.shape).toBe('single-image');
    expect(env?.codebuild).toBeUndefined();
  });

  it('refuses an unknown shape, naming the choices', () => {
    expect(problemsOf({ environments: { cgap: environment({ image: { shape: 'multi' } }) } })).toEqual([
      expect.stringMatching(/^environments\.cgap\.image\.shape: .*"per-entrypoint".*"single-image"/),
    ]);
  });

  it('refuses, in a single-image environment, every setting only builds use, each at its path', () => {
    const document = {
      environments: {
        cgap: singleImage({
          codebuild: { project: 'cgap-builds' },
          imageAliasPrefix: 'latest',
          image: { shape: 'single-image', configureCommand: 'python -m assume_identity' },
        }),
      },
    };
    expect(problemsOf(document)).toEqual([
      'environments.cgap.codebuild.project: a single-image environment builds nothing, so it runs no CodeBuild project: remove it or use image.shape "per-entrypoint"',
      'environments.cgap.imageAliasPrefix: a single-image environment builds nothing, so no alias tags are pushed: remove it or use image.shape "per-entrypoint"',
      `environments.cgap.image.configureCommand: a single-image environment builds nothing, so docker/'s entrypoints, which run it, are not used: remove it or use image.shape "per-entrypoint"`,
    ]);
  });

  // Nothing pushes derived tags in a single-image environment, so a suffix cannot start a build loop.
  it('checks tag suffixes against the source pattern only where builds push derived tags', () => {
    const anyTag = { sourceTagPattern: '^.+$' };
    expect(problemsOf({ environments: { app: environment(anyTag) } })).toContain(
      'environments.app.entrypoints.0.tagSuffix: derived tag "1.0.0-wsgi" matches sourceTagPattern, so a build\'s own push would start another build',
    );
    expect(parseConductorConfig({ environments: { app: singleImage(anyTag) } }).environments.app?.image.shape).toBe(
      'single-image',
    );
  });
});

describe('a single-image environment in the stack', () => {
  const config = parseConductorConfig({
    environments: { cgap: singleImage({ repository: 'cgap' }), staging: environment({ repository: 'staging' }) },
  });
  const settings = { buildspec: 'version: 0.2\n', service: 'ecs-conductor', stage: 'ci', logRetentionInDays: 14 };

  it('gets no CodeBuild project, role or log group', () => {
    expect(Object.keys(buildProjectResources(config, settings)).sort()).toEqual([
      'StagingBuildLogs',
      'StagingBuildProject',
      'StagingBuildRole',
    ]);
  });

  it('gives no function StartBuild on a project for it', () => {
    const builds = functionPolicyStatements('onImagePush', config).find((statement) => statement.Sid === 'Builds');
    expect(builds?.Resource).toEqual([{ 'Fn::Sub': '${StagingBuildProject.Arn}' }]);
  });
});

describe('onImagePush permissions', () => {
  const sids = (environments: Record<string, unknown>) =>
    functionPolicyStatements('onImagePush', parseConductorConfig({ environments })).map((statement) => statement.Sid);

  it('may roll out only when a single-image environment auto-deploys from its pushes', () => {
    expect(sids({ staging: environment() })).not.toContain('UpdateServices');
    expect(sids({ cgap: singleImage() })).toEqual(
      expect.arrayContaining(['UpdateServices', 'RegisterReleaseRevisions']),
    );
  });
});
