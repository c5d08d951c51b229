import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../test/support/serverless.js';

/** serverless-esbuild's own settings, which esbuild itself does not know. */
const PLUGIN_ONLY = [
  'exclude',
  'packager',
  'outputWorkFolder',
  'outputFileExtension',
  'outputBuildFolder',
  'concurrency',
  'zipConcurrency',
  'nativeZip',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'watch',
  'packagePath',
];

type ConfigFactory = (serverless: { service: { custom: { conductor: unknown } } }) => Record<string, unknown>;

/**
 * The esbuild options `serverless package` uses (serverless/esbuild.config.cjs, given conductor.yml),
 * so a metafile built here describes the bundles in the zips.
 */
export function serverlessEsbuildOptions(configFile = join(PROJECT_ROOT, 'conductor.yml')): BuildOptions {
  const factory = createRequire(import.meta.url)(
    join(PROJECT_ROOT, 'serverless', 'esbuild.config.cjs'),
  ) as ConfigFactory;
  const conductor: unknown = parse(readFileSync(configFile, 'utf8'));
  const options = factory({ service: { custom: { conductor } } });
  return Object.fromEntries(Object.entries(options).filter(([key]) => !PLUGIN_ONLY.includes(key)));
}
