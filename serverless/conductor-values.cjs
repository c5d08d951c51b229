// Serverless variable resolvers (`${file(./serverless/conductor-values.cjs):roles}`) that derive
// template parts from the resolved conductor config. The TypeScript logic is bundled on the fly with
// esbuild so that packaging and the Lambdas share one implementation.
const { buildSync } = require('esbuild');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
let compiled;

function packagingModule() {
  if (!compiled) {
    const outfile = path.join(root, '.conductor', 'packaging.cjs');
    buildSync({
      entryPoints: [path.join(root, 'src/packaging/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
    compiled = require(outfile);
  }
  return compiled;
}

async function values({ resolveVariable }) {
  const document = await resolveVariable('self:custom.conductor');
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const alarmTopic = await resolveVariable('self:custom.alarmTopic');
  const { packagingValues, ConfigError } = packagingModule();
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
