// Serverless variable resolvers (`${file(./serverless/conductor-values.cjs):roles}`) that derive
// template parts from the resolved conductor config, with the Lambdas' own TypeScript.
const path = require('node:path');
const { loadTypeScript } = require('./load-typescript.cjs');

/**
 * A ConfigError (the schema's or the resolver's; each bundle has its own class, hence the name)
 * lists every problem with its path: its message alone says it all, without a stack.
 */
function rethrowConfigError(error) {
  if (error instanceof Error && error.name === 'ConfigError') throw new Error(error.message);
  throw error;
}

let resolvedConfig;

/**
 * The config file with the names its environments take from CloudFormation stacks filled in, read
 * once per packaging with the deployer's credentials (cloudformation:DescribeStacks and
 * ListStackResources, sqs:GetQueueUrl, codebuild:BatchGetProjects); a config that names no stack is
 * returned as written.
 */
async function config({ resolveVariable }) {
  const document = await resolveVariable('self:custom.conductorFile');
  const region = await resolveVariable('self:provider.region');
  if (Object.keys(loadTypeScript('packaging/index.ts').stackEnvironments(document)).length === 0) return document;
  // Loaded only now: it bundles the CloudFormation and SQS clients, which other configs never need.
  const packaging = loadTypeScript('packaging/stack-names.ts');
  // A build project that would not apply docker/ is refused here too (codebuild:BatchGetProjects).
  resolvedConfig ??= packaging
    .resolveStackNamesWithAws(document, { region })
    .then(async (resolution) => {
      await packaging.checkBuildProjectsWithAws(resolution.document, { region });
      return resolution.document;
    })
    .catch(rethrowConfigError);
  return resolvedConfig;
}

async function values({ resolveVariable }) {
  const document = await resolveVariable('self:custom.conductor');
  const stack = {
    service: await resolveVariable('self:service'),
    stage: await resolveVariable('sls:stage'),
    alarmTopic: await resolveVariable('self:custom.alarmTopic'),
    logRetentionInDays: await resolveVariable('self:provider.logRetentionInDays'),
    projectRoot: path.resolve(__dirname, '..'),
  };
  const { packagingValues } = loadTypeScript('packaging/index.ts');
  try {
    return packagingValues(document, stack);
  } catch (error) {
    rethrowConfigError(error);
  }
}

module.exports = {
  config,
  roles: async (context) => ({ Resources: (await values(context)).roles }),
  alarms: async (context) => ({ Resources: (await values(context)).alarms }),
  buildResources: async (context) => ({ Resources: (await values(context)).buildResources }),
  imagePushEvents: async (context) => (await values(context)).imagePushEvents,
  buildProjects: async (context) => (await values(context)).buildProjects,
  alarmEvents: async (context) => (await values(context)).alarmEvents,
  hookVpc: async (context) => (await values(context)).hookVpc,
};
