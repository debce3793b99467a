/**
 * A stable bucket 0–99 for a request id: FNV-1a 32-bit over the UTF-16 code units of `salt + id`, mod 100. The same
 * id always lands in the same bucket, so canary routing is sticky per request id; a different salt gives an
 * independent split (the shadow share must not select exactly the canary's requests). The hash is finished with
 * murmur3's fmix32 so every input bit reaches the low bits the modulo keeps (FNV-1a alone mixes its last bytes
 * weakly).
 */
export function bucketOf(id, salt = '') {
    let h = 0x811c9dc5;
    const s = salt + id;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    return (h >>> 0) % 100;
}
//# sourceMappingURL=bucket.js.map