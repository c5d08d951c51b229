import * as z from 'zod';

/** Edits (insert, delete, substitute) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The known key closest to a misspelt one, if it is close enough to be what was meant. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const ranked = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.candidate : undefined;
}

/** The schema inside optional, default, nullable and pipe (refined, transformed) wrappers. */
function unwrapped(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/** The keys an object schema knows at `path` of a document (record keys and array indexes pass through). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    const here: z.ZodType = unwrapped(current);
    if (here instanceof z.ZodObject) current = (here.shape as Record<string, z.ZodType>)[String(segment)];
    else if (here instanceof z.ZodRecord) current = here.valueType as z.ZodType;
    else if (here instanceof z.ZodArray) current = here.element as z.ZodType;
    else return [];
    if (!current) return [];
  }
  const here = unwrapped(current);
  return here instanceof z.ZodObject ? Object.keys(here.shape) : [];
}
