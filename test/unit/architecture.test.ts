import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cruise, diagram, layerEdges } from '../../scripts/layers.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** dependency-cruiser with the project's rules over `cwd`'s src/: the violations it reports. */
function violationsIn(cwd: string): Violation[] {
  const config = join(ROOT, '.dependency-cruiser.cjs');
  const args = ['src', '--config', config, '--output-type', 'json'];
  let stdout: string;
  try {
    stdout = execFileSync(DEPCRUISE, args, { cwd, stdio: 'pipe' }).toString('utf8');
  } catch (error) {
    // A broken error-severity rule may end it non-zero; the report is on stdout all the same.
    stdout = (error as { stdout?: Buffer }).stdout?.toString('utf8') ?? '';
  }
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const sandboxes: string[] = [];
afterAll(() => {
  for (const path of sandboxes) rmSync(path, { recursive: true, force: true });
});

/** A throwaway project: the given files under src/, the project's tsconfig and its packages. */
function sandbox(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  sandboxes.push(root);
  cpSync(join(ROOT, 'tsconfig.json'), join(root, 'tsconfig.json'));
  // Packages resolve as they do in the project (an unresolved one is not an npm dependency).
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the layering (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  let result: ReturnType<typeof cruise>;
  beforeAll(() => {
    result = cruise();
  }, 120_000);

  it('holds on src/: no layer imports one above it, no cycle, no port is a use case', () => {
    expect(result.summary.violations).toEqual([]);
    expect(result.modules.length).toBeGreaterThan(200);
  });

  /** One breach of each rule, side by side in one throwaway project, cruised once. */
  const BREACHES: Record<string, Record<string, string>> = {
    'domain-imports-only-its-layers': {
      'src/domain/takes-config.ts': "import type { X } from '../config/x.js';\nexport type A = X;\n",
      'src/config/x.ts': 'export type X = 1;\n',
    },
    'use-cases-imports-only-its-layers': {
      'src/use-cases/takes-adapter.ts': "import { y } from '../aws/y.js';\nexport const a = y;\n",
      'src/aws/y.ts': 'export const y = 1;\n',
    },
    'domain-uses-no-packages': { 'src/domain/takes-zod.ts': "import * as z from 'zod';\nexport const a = z;\n" },
    'no-port-is-a-use-case': {
      'src/use-cases/ports.ts': "import type { run } from './roll-out.js';\nexport type P = typeof run;\n",
      'src/use-cases/roll-out.ts': 'export const run = () => 1;\n',
    },
    'only-the-root-builds-adapters': {
      'src/handlers/on-x.ts': "import { z } from '../aws/z.js';\nexport const a = z;\n",
      'src/aws/z.ts': 'export const z = 1;\n',
    },
    'console-imports-only-its-layers': {
      'src/console/takes-cli.ts': "import { w } from '../cli/w.js';\nexport const a = w;\n",
      'src/cli/w.ts': 'export const w = 1;\n',
    },
    'no-circular': {
      'src/domain/loop-a.ts': "import type { B } from './loop-b.js';\nexport type A = B;\n",
      'src/domain/loop-b.ts': "import type { A } from './loop-a.js';\nexport type B = A | 1;\n",
    },
  };
  let reported: string[] = [];
  beforeAll(() => {
    const files = Object.assign({}, ...Object.values(BREACHES)) as Record<string, string>;
    reported = violationsIn(sandbox(files)).map((violation) => violation.rule.name);
  }, 120_000);

  it.each(Object.keys(BREACHES))('reports a breach of %s', (rule) => {
    expect(reported).toContain(rule);
  });

  it('draws the layers in docs/layers.md as they are now (npm run docs:layers)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'layers.md'), 'utf8')).toBe(diagram(layerEdges(result)));
  });
});

describe('the composition', () => {
  const SRC = join(ROOT, 'src');
  const lines = (file: string) => readFileSync(join(SRC, file), 'utf8').split('\n').length - 1;

  it('keeps each handler edge thin and the Lambdas’ composition root one readable file', () => {
    // 185: the deployment hook's ports (its HTTP probe) are bound here too, as every adapter is.
    expect(lines('handlers/wiring.ts')).toBeLessThanOrEqual(185);
    const edges = ['api.ts', 'autoscale.ts', 'reconcile.ts', 'on-image-push.ts', 'on-build-state-change.ts'];
    expect(edges.filter((file) => lines(`handlers/${file}`) > 120)).toEqual([]);
  });
});
