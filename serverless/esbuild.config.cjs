// serverless-esbuild options. The resolved conductor config is baked into every bundle as a JSON
// string (`process.env.CONDUCTOR_CONFIG`), so values from `${cf:...}` and friends are resolved once at
// packaging time, the Lambda environment's 4 KB limit does not apply, and the handlers validate
// it once per container at cold start.
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
  exclude: [],
  packager: 'npm',
  // A separate work folder per caller lets tests package while `npm start` is running.
  outputWorkFolder: process.env.CONDUCTOR_BUILD_DIR || '.esbuild',
  define: {
    'process.env.CONDUCTOR_CONFIG': JSON.stringify(JSON.stringify(serverless.service.custom.conductor)),
  },
});
