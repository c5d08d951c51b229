import { CodeBuildClient, CreateProjectCommand } from '@aws-sdk/client-codebuild';

/**
 * A CodeBuild project building a GitHub repository with the repository's own buildspec, as
 * 4dn-cloud-infra's src/parts/codebuild.py makes CGAP's (moto also rejects a NO_SOURCE project
 * without a location).
 */
export async function createGithubProject(client: CodeBuildClient, name: string, repository: string): Promise<string> {
  await client.send(
    new CreateProjectCommand({
      name,
      source: { type: 'GITHUB', location: repository },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
      },
      serviceRole: 'arn:aws:iam::123456789012:role/codebuild',
    }),
  );
  return name;
}
