import { parseArgs } from 'node:util';
import { DEFAULT_SCENARIO, type Scenario } from './scenario.js';

/** The command line of `npm run bench:autoscale`: see README.md for every option. */
export interface Options {
  scenario: Scenario;
  seeds: number[];
  worlds: string[] | undefined;
  withMinOne: boolean;
  chartSeed: number;
  json: string | undefined;
  out: string | undefined;
  publish: boolean;
  traces: string[];
}

function number(name: string, text: string | undefined, fallback: number, { whole = true, min = 0 } = {}): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || (whole && !Number.isInteger(value)))
    throw new Error(`--${name} must be a ${whole ? 'whole ' : ''}number ≥ ${min}, got "${text}"`);
  return value;
}

function choice<T extends string>(name: string, text: string | undefined, known: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(known as readonly string[]).includes(text))
    throw new Error(`--${name} must be one of ${known.join(', ')}, got "${text}"`);
  return text as T;
}

/** "1-8", "3" or "1,4,7". */
export function parseSeeds(text: string): number[] {
  const seeds = text.split(',').flatMap((part) => {
    const range = /^(\d+)-(\d+)$/.exec(part.trim());
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from) throw new Error(`--seeds: range "${part}" runs backwards`);
      return Array.from({ length: to - from + 1 }, (_, index) => from + index);
    }
    return [number('seeds', part.trim(), 0)];
  });
  if (seeds.length === 0) throw new Error('--seeds: no seed given');
  return [...new Set(seeds)];
}

function startLatency(text: string | undefined): Scenario['startLatency'] {
  if (text === undefined) return DEFAULT_SCENARIO.startLatency;
  const [minSeconds, medianSeconds, maxSeconds] = text
    .split(',')
    .map((part) => number('start', part, 0, { whole: false }));
  if (
    minSeconds === undefined ||
    medianSeconds === undefined ||
    maxSeconds === undefined ||
    !(minSeconds <= medianSeconds && medianSeconds <= maxSeconds)
  )
    throw new Error(`--start must be "min,median,max" seconds in that order, got "${text}"`);
  return { minSeconds, medianSeconds, maxSeconds };
}

export function parseOptions(argv: readonly string[]): Options {
  const stringOptions = [
    'seeds',
    'json',
    'worlds',
    'chart-seed',
    'max',
    'per-task',
    'window',
    'recheck',
    'visibility',
    'processing-scale',
    'phantoms-per-day',
    'start',
    'alarm-delay',
    'lag',
    'protection',
    'grace',
    'out',
  ];
  const { values: v, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      ...Object.fromEntries(stringOptions.map((name) => [name, { type: 'string' as const }])),
      min: { type: 'boolean' },
      publish: { type: 'boolean' },
    },
  });
  const values = v as Record<string, string | boolean | undefined>;
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const base = DEFAULT_SCENARIO;
  const grace = choice('grace', text('grace'), ['recipe', '30'], 'recipe');
  const scenario: Scenario = {
    ...base,
    maxTasks: number('max', text('max'), base.maxTasks, { min: 1 }),
    messagesPerTask: number('per-task', text('per-task'), base.messagesPerTask, { min: 1 }),
    stabilizationSeconds: number('window', text('window'), base.stabilizationSeconds),
    recheckSeconds: number('recheck', text('recheck'), base.recheckSeconds, { min: 1 }),
    visibilityTimeoutSeconds: number('visibility', text('visibility'), base.visibilityTimeoutSeconds),
    processingScale: number('processing-scale', text('processing-scale'), 1, { whole: false }),
    phantomsPerDay: number('phantoms-per-day', text('phantoms-per-day'), base.phantomsPerDay, { whole: false }),
    startLatency: startLatency(text('start')),
    alarmDelaySeconds: number('alarm-delay', text('alarm-delay'), base.alarmDelaySeconds),
    lag: choice('lag', text('lag'), ['steady', 'random'], base.lag),
    protection: choice('protection', text('protection'), ['on', 'off'], base.protection ? 'on' : 'off') === 'on',
    stop: grace === '30' ? { graceSeconds: 30, handBack: false } : base.stop,
  };
  const seeds = parseSeeds(text('seeds') ?? '1-8');
  return {
    scenario,
    seeds,
    worlds: text('worlds')?.split(','),
    withMinOne: values.min === true,
    chartSeed: number('chart-seed', text('chart-seed'), seeds[0] ?? 1),
    json: text('json'),
    out: text('out'),
    publish: values.publish === true,
    traces: positionals,
  };
}
