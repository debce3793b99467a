// Argument checks shared by the folder. Broken invariants are caller bugs, so they throw a RangeError whose
// message names the key, the value and what was expected (STYLE rule 4); nothing here is an expected failure.
/** Throws unless `value` is an integer ≥ `min`. */
export function requireInteger(name, value, min) {
    if (!Number.isInteger(value) || value < min)
        throw new RangeError(`${name} = ${value}: expected an integer ≥ ${min}`);
}
/** Throws unless `value` is finite. */
export function requireFinite(name, value) {
    if (!Number.isFinite(value))
        throw new RangeError(`${name} = ${value}: expected a finite number`);
}
/** Throws unless 0 < `value` < 1. */
export function requireOpenUnit(name, value) {
    if (!(value > 0 && value < 1))
        throw new RangeError(`${name} = ${value}: expected a number in (0, 1)`);
}
/** Throws unless 0 ≤ `value` ≤ 1 (NaN throws). */
export function requireProbability(name, value) {
    if (!(value >= 0 && value <= 1))
        throw new RangeError(`${name} = ${value}: expected a p-value in [0, 1]`);
}
//# sourceMappingURL=validate.js.map