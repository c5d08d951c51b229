import 'aws-sdk-client-mock-vitest/extend';
import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createCodeBuildAdapter } from '../../../src/aws/codebuild.js';

// moto accepts but ignores environment overrides and idempotency tokens, so the request is checked here.
describe('startBuild', () => {
  it('sends the variables as plain-text overrides together with the idempotency token', async () => {
    const client = new CodeBuildClient({});
    const mock = mockClient(client);
    mock.on(StartBuildCommand).resolves({ build: { id: 'app-build:1234' } });

    const id = await createCodeBuildAdapter(client).startBuild({
      project: 'app-build',
      environmentVariables: { VERSION: '1.4.0', ENTRYPOINT: 'entrypoint_wsgi.sh' },
      idempotencyToken: 'release-42-wsgi',
    });

    expect(id).toBe('app-build:1234');
    expect(mock).toHaveReceivedCommandWith(StartBuildCommand, {
      projectName: 'app-build',
      idempotencyToken: 'release-42-wsgi',
      environmentVariablesOverride: [
        { name: 'VERSION', value: '1.4.0', type: 'PLAINTEXT' },
        { name: 'ENTRYPOINT', value: 'entrypoint_wsgi.sh', type: 'PLAINTEXT' },
      ],
    });
  });
});
