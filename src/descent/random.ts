import { requireInteger } from "./validate";

/**
 * A seeded source of standard normal numbers, standing in for numpy's np.random.randn():
 * one seed gives the same numbers on every machine. Uniforms come from mulberry32 (a 32-bit
 * generator small enough to read here), normals from the Box–Muller transform.
 */
export function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => {
    const u = 1 - uniform(); // in (0, 1], so the logarithm is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** Seeded uniform numbers in [0, 1) from mulberry32: the source of seededNormal and of shuffles. */
export function seededUniform(seed: number): () => number {
  let state = requireInteger("seed", seed, 0, 2 ** 32 - 1) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `count` standard normal numbers from `seed`. */
export function randn(seed: number, count: number): number[] {
  const next = seededNormal(seed);
  return Array.from({ length: requireInteger("count", count, 0, 1_000_000) }, next);
}
