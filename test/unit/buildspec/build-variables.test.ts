import { describe, expect, it } from 'vitest';
import { BUILD_VARIABLES, buildVariables, ecrRepositoryReference } from '../../../src/domain/build-variables.js';

const indexer = { name: 'indexer', tagSuffix: '-indexer', dockerEntrypoint: 'entrypoint_indexer.sh' };
/** An environment with the recipe's defaults: user app, the recipe's renderer. */
const cgapProd = { repository: 'cgap-prod', image: { appUser: 'app' } };

describe('buildVariables', () => {
  it('derives every variable the buildspec takes for one entrypoint at one version', () => {
    const variables = buildVariables({
      environment: cgapProd,
      entrypoint: indexer,
      version: '1.4.0',
      aliasPrefix: 'latest',
    });

    expect(Object.keys(variables)).toEqual([...BUILD_VARIABLES]);
    expect(variables).toEqual({
      ENTRYPOINT: 'indexer',
      SOURCE_TAG: '1.4.0',
      ECR_REPOSITORY: 'cgap-prod',
      IMAGE_TAG: '1.4.0-indexer',
      DOCKER_ENTRYPOINT: 'entrypoint_indexer.sh',
      ALIAS_TAG: 'latest-indexer',
      APP_USER: 'app',
      CONFIGURE_COMMAND: '',
    });
  });

  it("passes the environment's app user and the app's own configuration step (CGAP's settings)", () => {
    const variables = buildVariables({
      environment: {
        repository: 'cgap-prod',
        image: { appUser: 'nginx', configureCommand: 'python -m assume_identity' },
      },
      entrypoint: indexer,
      version: '1.4.0',
    });

    expect(variables).toMatchObject({ APP_USER: 'nginx', CONFIGURE_COMMAND: 'python -m assume_identity' });
  });

  it('passes an empty alias rather than leaving a project default in force', () => {
    expect(buildVariables({ environment: cgapProd, entrypoint: indexer, version: '3f9c2ab' }).ALIAS_TAG).toBe('');
  });

  it('rejects versions and derived tags that ECR would refuse', () => {
    const build =
      (version: string, tagSuffix = '-indexer') =>
      () =>
        buildVariables({ environment: cgapProd, entrypoint: { ...indexer, tagSuffix }, version });
    expect(build('-1.4.0')).toThrow(/version "-1.4.0" is not a valid ECR image tag/);
    expect(build('1.4.0+build')).toThrow(/not a valid ECR image tag/);
    expect(build('a'.repeat(125))).toThrow(/image tag "a+-indexer" is not a valid ECR image tag/);
  });
});

describe('ecrRepositoryReference', () => {
  it('turns a repository ARN into its URI', () => {
    expect(ecrRepositoryReference({ repository: 'arn:aws:ecr:us-east-2:123456789012:repository/cgap-prod' })).toBe(
      '123456789012.dkr.ecr.us-east-2.amazonaws.com/cgap-prod',
    );
    expect(ecrRepositoryReference({ repository: 'arn:aws-cn:ecr:cn-north-1:123456789012:repository/team/app' })).toBe(
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/app',
    );
  });

  it("completes a name with the environment's account and region when both are configured", () => {
    expect(ecrRepositoryReference({ repository: 'cgap-prod', account: '123456789012', region: 'eu-west-1' })).toBe(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cgap-prod',
    );
  });

  it("leaves a bare name for the buildspec to complete with the build's own account and region", () => {
    expect(ecrRepositoryReference({ repository: 'cgap-prod', region: 'eu-west-1' })).toBe('cgap-prod');
  });
});
