/** Thrown when pure SLO maths receives an argument outside its domain; names the key, the value and what was expected. */
export class BurnRateInputError extends RangeError {
    code = 'invalid_slo_input';
    key;
    value;
    expected;
    constructor(key, value, expected) {
        super(`${key} = ${JSON.stringify(value)}: expected ${expected}`);
        this.name = 'BurnRateInputError';
        this.key = key;
        this.value = value;
        this.expected = expected;
    }
}
/** Throws unless `target` is an SLO target ratio strictly between 0 and 1 (a target of 1 leaves no budget to divide by). */
export function assertTarget(target, key = 'target') {
    if (!(Number.isFinite(target) && target > 0 && target < 1)) {
        throw new BurnRateInputError(key, target, 'a ratio strictly between 0 and 1 (0.999 for 99.9%)');
    }
}
/** Throws unless `value` is a finite number ≥ 0. */
export function assertNonNegative(value, key) {
    if (!(Number.isFinite(value) && value >= 0))
        throw new BurnRateInputError(key, value, 'a finite number ≥ 0');
}
//# sourceMappingURL=errors.js.map