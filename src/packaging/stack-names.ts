import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createCloudFormationAdapter } from '../aws/cloudformation.js';
import { createCodeBuildAdapter } from '../aws/codebuild.js';
import { clientConfig } from '../aws/client-config.js';
import { createSqsAdapter } from '../aws/sqs.js';
import type { StackNameSource } from '../config/stack-context.js';
import { ConfigError } from '../config/errors.js';
import { environmentsOf, isObject } from '../config/document.js';
import { resolveStackNames, type StackResolution } from '../config/stack-names.js';
import { recipeProblem } from '../domain/build-recipe.js';

/**
 * Names from the stack, read with the deployer's credentials: `serverless package` (through
 * serverless/conductor-values.cjs) and local mode call this before validating the config, so the
 * Lambdas get every name baked in and never read CloudFormation themselves.
 */

export interface AwsSettings {
  /** The region of environments that name none. */
  region: string;
  /** The emulator's endpoint in local mode; AWS_ENDPOINT_URL or AWS otherwise. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const MISSING_QUEUE = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

function adaptersFor(settings: AwsSettings, region: string) {
  const config = { ...clientConfig, region, endpoint: settings.endpoint, credentials: settings.credentials };
  const cloudformation = new CloudFormationClient(config);
  const sqs = new SQSClient(config);
  return {
    stacks: createCloudFormationAdapter(cloudformation),
    queues: createSqsAdapter(sqs),
    destroy: () => {
      cloudformation.destroy();
      sqs.destroy();
    },
  };
}

/** The resolver's port over CloudFormation and SQS, with clients per region, created on first use. */
function awsStackNameSource(settings: AwsSettings): StackNameSource & { destroy: () => void } {
  const byRegion = new Map<string, ReturnType<typeof adaptersFor>>();
  const adapters = (region = settings.region) => {
    const existing = byRegion.get(region);
    if (existing) return existing;
    const created = adaptersFor(settings, region);
    byRegion.set(region, created);
    return created;
  };
  return {
    readStack: (name, region) => adapters(region).stacks.readStack(name),
    queueExists: async (name, region) => {
      try {
        await adapters(region).queues.queueUrl(name);
        return true;
      } catch (error) {
        const cause = error instanceof Error ? error.cause : undefined;
        if (cause instanceof Error && MISSING_QUEUE.has(cause.name)) return false;
        throw error;
      }
    },
    destroy: () => {
      for (const { destroy } of byRegion.values()) destroy();
    },
  };
}

/** The config document with the names its environments take from their stacks filled in. */
export async function resolveStackNamesWithAws(document: unknown, settings: AwsSettings): Promise<StackResolution> {
  const source = awsStackNameSource(settings);
  try {
    return await resolveStackNames(document, source);
  } finally {
    source.destroy();
  }
}

/**
 * Refuses, at packaging, an environment that builds per entrypoint with a CodeBuild project that
 * exists and would not apply docker/ (4dn-cloud-infra's builds cgap-portal with its own buildspec):
 * its builds would be recorded although the recipe never ran. Read with the deployer's credentials
 * (codebuild:BatchGetProjects); a project that does not exist yet is left to the build to report.
 */
export async function checkBuildProjectsWithAws(document: unknown, settings: AwsSettings): Promise<void> {
  const named = environmentsOf(document).flatMap(([name, env]) => {
    const image = isObject(env.image) ? env.image : {};
    const project = isObject(env.codebuild) ? env.codebuild.project : undefined;
    if (image.shape === 'single-image' || typeof project !== 'string') return [];
    return [{ name, project, region: typeof env.region === 'string' ? env.region : settings.region }];
  });
  const problems: string[] = [];
  for (const { name, project, region } of named) {
    const client = new CodeBuildClient({
      ...clientConfig,
      region,
      endpoint: settings.endpoint,
      credentials: settings.credentials,
    });
    try {
      const found = await createCodeBuildAdapter(client).describeProject(project);
      const problem = found && recipeProblem(found, project);
      if (problem) problems.push(`environments.${name}.codebuild.project: ${problem}`);
    } finally {
      client.destroy();
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
