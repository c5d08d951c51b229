import type { Step } from './ecs-service.js';
import type { AgeStep } from './sqs-queue.js';

/**
 * Pixel-column maxima of a series over [from, to): the work is one pass over the series' pieces that
 * overlap the window plus one per column, so a months-long run charts in time linear in its length.
 */
interface Piece {
  at: number;
}

/** The first piece still in force at `from` (the last one starting at or before it). */
function firstIndex(pieces: readonly Piece[], from: number): number {
  let low = 0;
  let high = pieces.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((pieces[middle]?.at ?? Infinity) <= from) low = middle;
    else high = middle - 1;
  }
  return low;
}

function columnMaxima<T extends Piece>(
  pieces: readonly T[],
  from: number,
  to: number,
  columns: number,
  /** The piece's largest value over [x, y), which lies within the piece. */
  largest: (piece: T, x: number, y: number) => number,
): number[] {
  const maxima: number[] = Array.from({ length: columns }, () => 0);
  const width = (to - from) / columns;
  for (let index = firstIndex(pieces, from); index < pieces.length; index += 1) {
    const piece = pieces[index];
    if (piece === undefined || piece.at >= to) break;
    const start = Math.max(from, piece.at);
    const end = Math.min(to, pieces[index + 1]?.at ?? to);
    if (end <= start) continue;
    const first = Math.floor((start - from) / width);
    const last = Math.min(columns - 1, Math.floor((Math.max(start, end - 1e-9) - from) / width));
    for (let column = first; column <= last; column += 1) {
      const x = Math.max(start, from + column * width);
      const y = Math.min(end, from + (column + 1) * width);
      maxima[column] = Math.max(maxima[column] ?? 0, largest(piece, x, Math.max(x, y)));
    }
  }
  return maxima;
}

/** Tasks (or any step series) per column: the largest count in force within it. */
export const stepColumns = (steps: readonly Step[], from: number, to: number, columns: number): number[] =>
  columnMaxima(steps, from, to, columns, (step) => step.value);

/** The oldest waiting message's age (seconds) per column: it grows within a piece, so its end is the largest. */
export const ageColumns = (ages: readonly AgeStep[], from: number, to: number, columns: number): number[] =>
  columnMaxima(ages, from, to, columns, (age, _x, y) => (Number.isNaN(age.since) ? 0 : Math.max(0, y - age.since)));
