// Serverless variable resolvers (`${file(./serverless/conductor-values.cjs):roles}`) that derive
// template parts from the resolved conductor config, with the Lambdas' own TypeScript.
const { loadTypeScript } = require('./load-typescript.cjs');

async function values({ resolveVariable }) {
  const document = await resolveVariable('self:custom.conductor');
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const alarmTopic = await resolveVariable('self:custom.alarmTopic');
  const { packagingValues, ConfigError } = loadTypeScript('packaging/index.ts');
  try {
    return packagingValues(document, service, stage, alarmTopic);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.message);
    throw error;
  }
}

module.exports = {
  roles: async (context) => ({ Resources: (await values(context)).roles }),
  alarms: async (context) => ({ Resources: (await values(context)).alarms }),
  repositories: async (context) => (await values(context)).repositories,
  buildProjects: async (context) => (await values(context)).buildProjects,
};
