// Loads a TypeScript module of src/ into the packaging process: bundled by esbuild in memory (no
// file, so parallel packagings share nothing) and compiled as CommonJS. Packaging and the Lambdas
// then share one implementation of the config schema, IAM policies and alarms.
const { buildSync } = require('esbuild');
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const loaded = new Map();

/** The exports of `src/<relativePath>`, bundled once per process. */
function loadTypeScript(relativePath) {
  const entry = path.join(root, 'src', relativePath);
  if (!loaded.has(entry)) {
    const [output] = buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'error',
    }).outputFiles;
    const compiled = new Module(entry);
    compiled.filename = entry;
    compiled.paths = Module._nodeModulePaths(path.dirname(entry));
    compiled._compile(output.text, entry);
    loaded.set(entry, compiled.exports);
  }
  return loaded.get(entry);
}

module.exports = { loadTypeScript };
