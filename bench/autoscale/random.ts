/**
 * Seeded randomness for the simulator. Two kinds, both deterministic for a seed:
 * - `randomStream`: a sequence (task start latencies, which running task ECS stops);
 * - `uniformAt`: a pure function of (seed, salt, time), so every policy that reads the queue at the
 *   same moment sees the same lag and noise (common random numbers: differences between policies
 *   come from the policies, not from luck).
 */

/** A 32-bit avalanche mix (the murmur3 finalizer). */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashes integers (each taken modulo 2^32, plus its high part) into one 32-bit value. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const low = part >>> 0;
    const high = Math.floor(part / 0x1_0000_0000) >>> 0;
    h = mix32(h ^ mix32(low + 0x7f4a7c15));
    h = mix32(h ^ mix32(high + 0x2545f491));
  }
  return h;
}

/** A uniform number in [0, 1) fixed by its arguments. */
export function uniformAt(...parts: number[]): number {
  return hash32(...parts) / 0x1_0000_0000;
}

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
export function randomStream(...seedParts: number[]): () => number {
  let state = hash32(...seedParts);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A standard normal variate from two uniforms (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) is not a number
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Salts that keep the streams of one seed independent of each other. */
export const SALT = {
  startLatency: 1,
  stopChoice: 2,
  countLag: 3,
  visibleNoise: 4,
  inFlightNoise: 5,
  traces: 6,
  phantoms: 7,
} as const;
