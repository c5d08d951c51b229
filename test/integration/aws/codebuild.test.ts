import '../../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { describe, expect, it } from 'vitest';
import { codebuild } from '../../../src/aws/codebuild.js';
import { AwsCallError } from '../../../src/aws/errors.js';
import { createGithubProject } from '../../support/codebuild-project.js';

const sdk = new CodeBuildClient({});

const createProject = () =>
  createGithubProject(sdk, `build-${randomUUID().slice(0, 8)}`, 'https://github.com/example/app.git');

describe('codebuild', () => {
  it('starts a build whose id batchGetBuilds then describes with its phases', async () => {
    const project = await createProject();

    const id = await codebuild.startBuild({
      project,
      environmentVariables: { VERSION: '1.4.0', ENTRYPOINT: 'entrypoint_wsgi.sh' },
      idempotencyToken: randomUUID(),
      sourceVersion: 'v1.4.0',
    });

    expect(id).toMatch(new RegExp(`^${project}:`));
    const builds = await codebuild.batchGetBuilds([id]);
    expect(builds).toHaveLength(1);
    // moto completes a build the first time it is described.
    expect(builds[0]).toMatchObject({ id, status: 'SUCCEEDED', currentPhase: 'COMPLETED' });
    expect(builds[0]?.phases.map((phase) => phase.type)).toEqual(
      expect.arrayContaining(['SUBMITTED', 'BUILD', 'COMPLETED']),
    );
    expect(builds[0]?.logsDeepLink).toMatch(/^https:\/\//);
  });

  it('leaves out builds CodeBuild does not know', async () => {
    const project = await createProject();
    const id = await codebuild.startBuild({ project, environmentVariables: {}, idempotencyToken: randomUUID() });

    const builds = await codebuild.batchGetBuilds([id, `${project}:${randomUUID()}`]);

    expect(builds.map((build) => build.id)).toEqual([id]);
  });

  it('throws an AwsCallError for a project that does not exist', async () => {
    const failure = codebuild.startBuild({
      project: 'no-such-project',
      environmentVariables: {},
      idempotencyToken: randomUUID(),
    });

    await expect(failure).rejects.toBeInstanceOf(AwsCallError);
    await expect(failure).rejects.toMatchObject({
      operation: 'codebuild:StartBuild',
      cause: { name: 'ResourceNotFoundException' },
    });
  });
});
