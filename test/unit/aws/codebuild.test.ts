import 'aws-sdk-client-mock-vitest/extend';
import { BatchGetBuildsCommand, CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { buildLogLink, createCodeBuildAdapter } from '../../../src/aws/codebuild.js';

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

describe('log links', () => {
  const arn = 'arn:aws:codebuild:eu-west-2:123456789012:build/app-build:1234';

  it("names the build's region, log group and stream, encoded as the CloudWatch console expects", () => {
    const logs = { groupName: '/aws/codebuild/app-build', streamName: '1234-abcd' };
    const link = buildLogLink({ id: 'app-build:1234', arn, logs });
    expect(link).toBe(
      'https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2' +
        '#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fapp-build/log-events/1234-abcd',
    );
  });

  it("falls back to CodeBuild's default group and stream, never a link naming null", async () => {
    const client = new CodeBuildClient({});
    const logs = {
      deepLink: 'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-2#logEvent:group=null;stream=null',
    };
    mockClient(client)
      .on(BatchGetBuildsCommand)
      .resolves({ builds: [{ id: 'app-build:1234', arn, buildStatus: 'FAILED', logs }] });
    const details = await createCodeBuildAdapter(client).describeBuilds(['app-build:1234']);
    expect(details.get('app-build:1234')?.logsDeepLink).toBe(
      'https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2' +
        '#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fapp-build/log-events/1234',
    );
    expect(buildLogLink({ id: 'app-build:1234', logs })).toBeUndefined();
  });
});
