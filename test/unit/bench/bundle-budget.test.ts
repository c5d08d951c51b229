import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBudget, readBudget } from '../../../bench/bundle/budget.js';
import { builtBundles, type BundleContents } from '../../../bench/bundle/contributors.js';
import { lambdaFunctions, type LambdaFunction } from '../../../bench/bundle/functions.js';
import { FUNCTION_NAMES } from '../../../src/packaging/iam-policies.js';
import { PROJECT_ROOT } from '../../support/serverless.js';

/**
 * bench/bundle/budget.json as a check `npm test` runs: every function bundled by esbuild with the
 * packaging options (the bundles `serverless package` zips, byte for byte: bench:bundle fails when they
 * differ), in a few seconds instead of a packaging run.
 */
describe('Lambda bundle budget', () => {
  let bundles: (LambdaFunction & BundleContents)[] = [];
  const budgetFile = join(PROJECT_ROOT, 'bench', 'bundle', 'budget.json');
  const bundle = (name: string) => {
    const found = bundles.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no function ${name} in serverless.yml`);
    return found;
  };
  const zodBytes = (name: string) =>
    bundle(name).contributors.find((contributor) => contributor.name === 'zod')?.bytes ?? 0;

  beforeAll(async () => {
    bundles = await builtBundles(lambdaFunctions());
  }, 120_000);

  it('builds every function serverless.yml declares', () => {
    expect(bundles.map((built) => built.name)).toEqual([...FUNCTION_NAMES].sort());
    for (const built of bundles) expect(built.bytes, built.name).toBeGreaterThan(100_000);
  });

  it('keeps every bundle within its budget', () => {
    const over = checkBudget(readBudget(budgetFile), bundles)
      .filter((check) => !check.within)
      .map(
        ({ name, bytes, max }) => `${name}: ${bytes} bytes > ${max ?? 'no budget'} (npm run bench:bundle lists why)`,
      );
    expect(over).toEqual([]);
  });

  it('leaves zod out of the functions that validate nothing (the config comes validated)', () => {
    for (const name of ['autoscale', 'reconcile'])
      expect(zodBytes(name), `${name} bundles zod: which import brings it, npm run bench:bundle's metafile shows`).toBe(
        0,
      );
    // The count sees zod where it is (the event edges validate with zod/mini).
    expect(zodBytes('onTaskStateChange')).toBeGreaterThan(0);
  });
});
