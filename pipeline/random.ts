/** A repeatable stream of uniform numbers in [0, 1), normals and integers. */
export interface SeededRandom {
  uniform(): number
  normal(): number
  /** An integer in [0, n). */
  int(n: number): number
}

/**
 * Mulberry32 (Tommy Ettinger, public domain), a 32-bit seeded PRNG, with Box–Muller normals: training,
 * splits and searches repeat exactly given the seed. Not for cryptography.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let a = seed >>> 0
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = (): number => {
    const u = 1 - uniform() // (0, 1]: the log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform())
  }
  const int = (n: number): number => Math.min(n - 1, Math.floor(uniform() * n))
  return { uniform, normal, int }
}

/** Fisher–Yates shuffle in place with the given stream; returns the same array. */
export function shuffleInPlace<A extends Int32Array | unknown[]>(items: A, random: SeededRandom): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const t = items[i]
    items[i] = items[j]!
    items[j] = t!
  }
  return items
}
