import { DEFAULT_SCENARIO, type Scenario } from '../../../bench/autoscale/scenario.js';
import type { Trace } from '../../../bench/autoscale/trace.js';

// Short traces (hours, not days) keep every simulator test to milliseconds.
export const MINUTE = 60;
export const HOUR = 3600;
export const scenario: Scenario = { ...DEFAULT_SCENARIO, settleSeconds: 15 * MINUTE };

export const traceOf = (name: string, messages: [arrival: number, processing: number][]): Trace => ({
  name,
  messages: messages.map(([arrival, processing]) => ({ arrival, processing })),
});
/** One message every 10 minutes for two hours, 2 minutes each: never two at once. */
export const trickle = traceOf(
  'trickle',
  Array.from({ length: 12 }, (_, index): [number, number] => [HOUR + index * 10 * MINUTE, 2 * MINUTE]),
);
/** Twelve long ingestions at once after an idle hour, then a lone one three hours later. */
export const burst = traceOf('burst', [
  ...Array.from({ length: 12 }, (_, index): [number, number] => [HOUR + index * 5, (20 + 2 * index) * MINUTE]),
  [4 * HOUR, 10 * MINUTE],
]);
