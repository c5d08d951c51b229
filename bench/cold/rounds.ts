/**
 * The order of one round of cold starts: every subject once, rotated by one each round so that none
 * always runs first (right after the previous round's last) and slow spells of a shared machine fall
 * on every subject alike.
 */
export function roundOrder<T>(subjects: readonly T[], round: number): T[] {
  const shift = subjects.length === 0 ? 0 : round % subjects.length;
  return [...subjects.slice(shift), ...subjects.slice(0, shift)];
}
