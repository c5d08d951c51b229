import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageService, PROJECT_ROOT } from '../../test/support/serverless.js';

/** One function's artefact in a `serverless package` output folder. */
export interface PackagedFunction {
  /** serverless.yml's function name (the zip's name), e.g. `onImagePush`. */
  name: string;
  zipPath: string;
  zipBytes: number;
  /** The bundle's path inside the zip, e.g. `src/handlers/on-image-push.mjs`. */
  bundleEntry: string;
  /** The handler's source, e.g. `src/handlers/on-image-push.ts`. */
  source: string;
}

export interface Packaged {
  dir: string;
  seconds: number;
  functions: PackagedFunction[];
  /** Removes the package folder. */
  remove: () => void;
}

/**
 * `serverless package` into a fresh temporary folder, as the packaging test does: dummy credentials,
 * and a build folder of its own (CONDUCTOR_BUILD_DIR) so it never clashes with other runs.
 */
export async function packageFunctions(): Promise<Packaged> {
  const started = performance.now();
  const result = await packageService();
  // The zips hold everything; serverless-esbuild's work folder is of no further use.
  rmSync(join(PROJECT_ROOT, '.conductor', `build-${basename(result.dir)}`), { recursive: true, force: true });
  const remove = () => {
    rmSync(result.dir, { recursive: true, force: true });
  };
  if (result.code !== 0 || !result.output.includes('Service packaged')) {
    remove();
    throw new Error(`serverless package failed (exit ${String(result.code)}):\n${result.output}`);
  }
  return {
    dir: result.dir,
    seconds: (performance.now() - started) / 1000,
    functions: packagedFunctions(result.dir),
    remove,
  };
}

/** Every function zip in a package folder, with the bundle it holds. */
export function packagedFunctions(dir: string): PackagedFunction[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.zip'))
    .sort()
    .map((file) => {
      const zipPath = join(dir, file);
      const bundleEntry = zipEntries(zipPath).find((entry) => entry.endsWith('.mjs'));
      if (!bundleEntry) throw new Error(`${file} holds no .mjs bundle`);
      return {
        name: basename(file, '.zip'),
        zipPath,
        zipBytes: statSync(zipPath).size,
        bundleEntry,
        source: bundleEntry.replace(/\.mjs$/, '.ts'),
      };
    });
}

export function zipEntries(zipPath: string): string[] {
  return execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '');
}

export function readZipEntry(zipPath: string, entry: string): Buffer {
  return execFileSync('unzip', ['-p', zipPath, entry], { maxBuffer: 64 * 1024 * 1024 });
}

export function unzipInto(zipPath: string, dir: string): void {
  execFileSync('unzip', ['-q', '-o', zipPath, '-d', dir]);
}
