/**
 * Mulberry32 (Tommy Ettinger, public domain), a 32-bit seeded PRNG: uniform numbers in [0, 1), the same
 * sequence on every run for a seed (taken modulo 2³²). Not for cryptography.
 */
export function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/**
 * Mulberry32 with Box–Muller normals and integers: training, splits, searches and simulations repeat exactly
 * given the seed. A normal takes two uniforms; `int(n)` takes one.
 */
export function createSeededRandom(seed) {
    const uniform = mulberry32(seed);
    const normal = () => {
        const u = 1 - uniform(); // (0, 1]: the log stays finite
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
    };
    const int = (n) => Math.min(n - 1, Math.floor(uniform() * n));
    return { uniform, normal, int };
}
/**
 * A standard normal (Box–Muller) from any uniform source, as the generated test data and ONNX test models draw
 * it: log(u + 1e-12) rather than SeededRandom.normal's log(1 − u), so it is a different sequence; both are kept
 * so that every seeded fixture stays the same.
 */
export function gauss(uniform) {
    return Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}
/** Fisher–Yates shuffle in place with the given stream (from the last item down); returns the same array. */
export function shuffleInPlace(items, random) {
    for (let i = items.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
    return items;
}
/**
 * Partial Fisher–Yates from the front: after the call the first `count` items are a uniform random subset of
 * `items` (in random order); the rest keep what was swapped out. Returns the same array.
 */
export function sampleInPlace(items, count, random) {
    if (!Number.isInteger(count) || count < 0 || count > items.length)
        throw new RangeError(`sampleInPlace: count must be an integer in [0, ${items.length}], got ${String(count)}`);
    for (let k = 0; k < count; k++) {
        const r = k + random.int(items.length - k);
        const t = items[k];
        items[k] = items[r];
        items[r] = t;
    }
    return items;
}
//# sourceMappingURL=seeded-random.js.map