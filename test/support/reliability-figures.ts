import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The figures issue #7 asks the reliability report for; each test file fills in the ones it measures. */
export interface ReliabilityFigures {
  eventsDuplicated: number;
  eventsDropped: number;
  faultsInjected: number;
  badInputsTried: number;
  fiveXxSeen: number;
  writesFromBadInput: number;
  stuckReleases: number;
  duplicateEffects: number;
}

export const FIGURES_DIRECTORY = join(fileURLToPath(new URL('../../', import.meta.url)), '.conductor', 'reliability');

export const emptyFigures = (): ReliabilityFigures => ({
  eventsDuplicated: 0,
  eventsDropped: 0,
  faultsInjected: 0,
  badInputsTried: 0,
  fiveXxSeen: 0,
  writesFromBadInput: 0,
  stuckReleases: 0,
  duplicateEffects: 0,
});

/** Writes one test file's figures where `npm run test:reliability` collects them (.conductor is gitignored). */
export function writeFigures(name: string, figures: ReliabilityFigures): void {
  mkdirSync(FIGURES_DIRECTORY, { recursive: true });
  writeFileSync(join(FIGURES_DIRECTORY, `${name}.figures.json`), `${JSON.stringify(figures, null, 2)}\n`);
}
