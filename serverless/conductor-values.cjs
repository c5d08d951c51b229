// Serverless variable resolvers (`${file(./serverless/conductor-values.cjs):roles}`) that derive
// template parts from the resolved conductor config, with the Lambdas' own TypeScript.
const path = require('node:path');
const { loadTypeScript } = require('./load-typescript.cjs');

async function values({ resolveVariable }) {
  const document = await resolveVariable('self:custom.conductor');
  const stack = {
    service: await resolveVariable('self:service'),
    stage: await resolveVariable('sls:stage'),
    alarmTopic: await resolveVariable('self:custom.alarmTopic'),
    logRetentionInDays: await resolveVariable('self:provider.logRetentionInDays'),
    projectRoot: path.resolve(__dirname, '..'),
  };
  const { packagingValues, ConfigError } = loadTypeScript('packaging/index.ts');
  try {
    return packagingValues(document, stack);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.message);
    throw error;
  }
}

module.exports = {
  roles: async (context) => ({ Resources: (await values(context)).roles }),
  alarms: async (context) => ({ Resources: (await values(context)).alarms }),
  buildResources: async (context) => ({ Resources: (await values(context)).buildResources }),
  repositories: async (context) => (await values(context)).repositories,
  buildProjects: async (context) => (await values(context)).buildProjects,
};
