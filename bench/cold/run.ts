import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machineLine } from '../lib/machine.js';
import { kb, ms, ratio, table, verdict } from '../lib/markdown.js';
import { packageFunctions, packagedFunctions, unzipInto, type PackagedFunction } from '../lib/package.js';
import { summarize } from '../lib/stats.js';
import { roundOrder } from './rounds.js';
import { stateTableName } from '../../src/domain/names.js';

/**
 * npm run bench:cold [-- --rounds 25] [-- --package DIR] [-- --baseline DIR] [-- --source-maps]
 * For each function, ≥ 20 fresh node processes that import its packaged bundle (module-scope
 * initialisation: config, clients, logger), interleaved round by round with bare node processes
 * (the same child importing an empty module). Prints median and p95 of the whole process's wall time
 * and of the import measured inside the child, and the ratio of medians to bare node (goal ≤ 1.8×).
 * --package reuses a `serverless package` folder; --baseline adds another package's functions to
 * the same rounds (say, one packaged before a change), so both share the machine's noise;
 * --source-maps runs the children with NODE_OPTIONS=--enable-source-maps, as serverless.yml sets
 * it for the deployed functions.
 */
const GOAL = 1.8;
const CHILD = join(import.meta.dirname, 'child.mjs');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '25' },
    package: { type: 'string' },
    baseline: { type: 'string' },
    'source-maps': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 20)
  throw new Error(`--rounds must be a whole number ≥ 20, got ${values.rounds}`);

/** What a function's container has at cold start (the config is baked into the bundle). */
const childEnv = {
  PATH: process.env.PATH ?? '',
  CONDUCTOR_TABLE: stateTableName('bench'),
  CONDUCTOR_STAGE: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...(values['source-maps'] ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
};

interface Sample {
  wallMs: number;
  importMs: number;
}

function coldStart(moduleUrl: string): Sample {
  const started = performance.now();
  const child = spawnSync(process.execPath, [CHILD, moduleUrl], { env: childEnv, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`cold start of ${moduleUrl} failed (exit ${String(child.status)}):\n${child.stderr}`);
  const reported = JSON.parse(child.stdout) as { importMs: number };
  return { wallMs, importMs: reported.importMs };
}

console.log(machineLine());
const packaged = values.package === undefined ? await packageFunctions() : undefined;
const functions = packaged?.functions ?? packagedFunctions(values.package ?? '');
const work = mkdtempSync(join(tmpdir(), 'conductor-cold-'));
try {
  const emptyModule = join(work, 'empty.mjs');
  writeFileSync(emptyModule, '');
  const unpacked = (fns: readonly PackagedFunction[], suffix: string) =>
    fns.map((fn) => {
      const dir = join(work, `${fn.name}${suffix}`);
      unzipInto(fn.zipPath, dir);
      const bundle = join(dir, fn.bundleEntry);
      return { name: `${fn.name}${suffix}`, url: pathToFileURL(bundle).href, bytes: statSync(bundle).size };
    });
  const baseline = values.baseline === undefined ? [] : unpacked(packagedFunctions(values.baseline), ' (baseline)');
  const subjects = [
    { name: 'bare node', url: pathToFileURL(emptyModule).href, bytes: 0 },
    ...unpacked(functions, ''),
    ...baseline,
  ];
  const samples = new Map(subjects.map((subject) => [subject.name, [] as Sample[]]));
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const subject of roundOrder(subjects, round)) samples.get(subject.name)?.push(coldStart(subject.url));
  }
  const seconds = (performance.now() - started) / 1000;

  const bare = summarize((samples.get('bare node') ?? []).map((sample) => sample.wallMs));
  const rows = subjects.map(({ name, bytes }) => {
    const taken = samples.get(name) ?? [];
    const wall = summarize(taken.map((sample) => sample.wallMs));
    const inside = summarize(taken.map((sample) => sample.importMs));
    const times = wall.median / bare.median;
    const isBare = name === 'bare node';
    return [
      name,
      isBare ? '—' : kb(bytes),
      ms(wall.median),
      ms(wall.p95),
      ms(inside.median),
      ms(inside.p95),
      ratio(times),
      isBare ? '—' : verdict(times <= GOAL),
    ];
  });
  console.log(
    `\n${rounds} rounds × ${subjects.length} fresh processes in ${seconds.toFixed(0)} s${values['source-maps'] ? ', NODE_OPTIONS=--enable-source-maps' : ''}\n`,
  );
  console.log(
    table(
      [
        'function',
        'bundle (kB)',
        'process wall median (ms)',
        'wall p95 (ms)',
        'import in child median (ms)',
        'import p95 (ms)',
        'wall ÷ bare node (medians)',
        `goal ≤ ${GOAL}×`,
      ],
      rows,
    ),
  );
  console.log(
    '\nwall: spawn to exit of `node child.mjs <bundle>`, measured by this process; import: performance.now() around the' +
      " bundle's import inside the child. The ratio uses the wall times (a whole fresh process, as the issue counts it);" +
      ' bare node is the same child importing an empty module.',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
  packaged?.remove();
}
