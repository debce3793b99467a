/** Thrown when an SLO cannot be turned into rules; names the key, the value and what was expected. */
export class RuleSloError extends Error {
    code = 'invalid_rule_slo';
    key;
    value;
    constructor(key, value, expected, options) {
        super(`${key} = ${JSON.stringify(value)}: expected ${expected}`, options);
        this.name = 'RuleSloError';
        this.key = key;
        this.value = value;
    }
}
//# sourceMappingURL=errors.js.map