// serverless-esbuild options. The resolved conductor config is baked into every bundle as a JSON
// string (`process.env.CONDUCTOR_CONFIG`), so values from `${cf:...}` and friends are resolved once at
// packaging time and the Lambda environment's 4 KB limit does not apply. It is baked validated, with
// its defaults applied, by the schema the Lambdas share (packaging already failed on a bad config), so
// a cold start only parses it: see src/config/cold-start.ts.
const path = require('node:path');
const { loadTypeScript } = require('./load-typescript.cjs');

const root = path.resolve(__dirname, '..');

/** The config as the Lambdas' schema outputs it (defaults applied); a bad one fails packaging here. */
function validatedConfig(document) {
  return loadTypeScript('packaging/index.ts').parseConductorConfig(document);
}

module.exports = (serverless) => ({
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  treeShaking: true,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  outputFileExtension: '.mjs',
  mainFields: ['module', 'main'],
  // Bundled SDK code still calls require() for Node built-ins under ESM.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  // Two SDK parts the Lambdas never run, swapped for small stand-ins (see each file for why):
  // the default credential chain (Lambda sets the credentials in the environment), about 130 KB,
  // and event streams (no API the conductor calls has one), whose lazy import cost ~10 ms per cold start.
  alias: {
    '@aws-sdk/credential-provider-node': path.join(root, 'src', 'aws', 'lambda-credentials.ts'),
    '@smithy/core/event-streams': path.join(root, 'src', 'aws', 'no-event-streams.ts'),
  },
  exclude: [],
  packager: 'npm',
  // A separate work folder per caller lets tests package while `npm start` is running.
  outputWorkFolder: process.env.CONDUCTOR_BUILD_DIR || '.esbuild',
  define: {
    'process.env.CONDUCTOR_CONFIG': JSON.stringify(
      JSON.stringify(validatedConfig(serverless.service.custom.conductor)),
    ),
    'process.env.CONDUCTOR_CONFIG_VALIDATED': 'true',
  },
});
