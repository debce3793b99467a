const V2_OF = { float64: 'FP64', float32: 'FP32', int64: 'INT64', int32: 'INT32', bool: 'BOOL', string: 'BYTES' };
/** The V2 datatype of an element type. */
export function v2Datatype(type) {
    return V2_OF[type];
}
/** Number of elements a shape holds. */
export function elementCount(dims) {
    let n = 1;
    for (const d of dims)
        n *= d;
    return n;
}
/** Plain JSON numbers/strings of a tensor, row-major and flat (int64 as numbers: V2 JSON carries them as $number). */
export function toJsonData(t) {
    const d = t.data;
    if (Array.isArray(d))
        return d;
    if (d instanceof BigInt64Array)
        return Array.from(d, (v) => Number(v));
    if (t.type === 'bool')
        return Array.from(d, (v) => v !== 0);
    return Array.from(d);
}
//# sourceMappingURL=tensor.js.map