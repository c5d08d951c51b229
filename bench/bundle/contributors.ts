import { build, type BuildOptions, type Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../test/support/serverless.js';
import { serverlessEsbuildOptions } from './esbuild-options.js';
import type { LambdaFunction } from './functions.js';

export interface Contributor {
  /** A package (`zod`), a part of one (`@smithy/core/protocols`), or a folder of ours (`src/aws`). */
  name: string;
  bytes: number;
}

export interface BundleContents {
  bytes: number;
  contributors: Contributor[];
}

const PACKAGE = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/dist-es\/submodules\/([^/]+))?/;

/** Where an input of the bundle belongs; the SDK's core packages are split by submodule, their unit of use. */
export function contributorOf(input: string): string {
  const match = PACKAGE.exec(input);
  if (match?.[1]) return match[2] ? `${match[1]}/${match[2]}` : match[1];
  return input.split('/').slice(0, 2).join('/');
}

export function contributorsOf(metafile: Metafile): BundleContents {
  const [output] = Object.values(metafile.outputs).filter((candidate) => candidate.entryPoint !== undefined);
  if (!output) throw new Error('the metafile has no entry point output');
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = contributorOf(input);
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  const contributors = [...bytes]
    .map(([name, size]) => ({ name, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  return { bytes: output.bytes, contributors };
}

/**
 * Builds one handler in memory with the packaging options and a metafile. The source map is built as
 * packaging builds it (`linked`) but not counted: `bytes` is the .mjs alone, the link comment included,
 * so it is the size of the bundle in the function's zip.
 */
async function bundleContents(options: BuildOptions, source: string): Promise<BundleContents> {
  const result = await build({
    ...options,
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [source],
    outdir: 'bench-bundle-metafile',
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  return contributorsOf(result.metafile);
}

/** Every function's bundle, as `serverless package` would build it, without packaging (seconds, not a minute). */
export async function builtBundles(
  functions: readonly LambdaFunction[],
  options: BuildOptions = serverlessEsbuildOptions(),
): Promise<(LambdaFunction & BundleContents)[]> {
  return Promise.all(functions.map(async (fn) => ({ ...fn, ...(await bundleContents(options, fn.source)) })));
}
