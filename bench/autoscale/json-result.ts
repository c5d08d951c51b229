import { summaryOf } from './benchmark.js';
import type { SettingResult } from './experiment.js';

/**
 * The machine-readable result (issue 15): per trace, per seed, per policy
 * `{p95ExcessWaitMin, taskMinutes, interrupted, unserved}`. p95ExcessWaitMin is the policy's p95 wait
 * minus the clairvoyant bound's, in minutes; null when infinite (more than 5 % never served).
 * With several settings (--min), each trace of a setting other than the first is named
 * "<trace> (<setting>)".
 */
export interface PolicyFigures {
  p95ExcessWaitMin: number | null;
  taskMinutes: number;
  interrupted: number;
  unserved: number;
}

export interface JsonResult {
  traces: { name: string; seeds: { seed: number; policies: Record<string, PolicyFigures> }[] }[];
}

const rounded = (value: number, digits: number): number => Number(value.toFixed(digits));

export function jsonResult(results: readonly SettingResult[]): JsonResult {
  return {
    traces: results.flatMap((result, index) =>
      result.traces.map(({ trace, seeds }) => ({
        name: index === 0 ? trace.name : `${trace.name} (${result.setting.name})`,
        seeds: seeds.map(({ seed, summaries }) => {
          const bound = summaryOf(summaries, 'clairvoyant');
          const policies: Record<string, PolicyFigures> = {};
          for (const summary of summaries) {
            const excess = (summary.p95Wait - bound.p95Wait) / 60;
            policies[summary.key] = {
              p95ExcessWaitMin: Number.isFinite(excess) ? rounded(excess, 3) : null,
              taskMinutes: rounded(summary.taskMinutes, 1),
              interrupted: summary.interrupted,
              unserved: summary.unserved,
            };
          }
          return { seed, policies };
        }),
      })),
    ),
  };
}
