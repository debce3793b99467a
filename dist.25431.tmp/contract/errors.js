/** A featurisation failure that names the feature, the rule and the value (bad options, or a row of the wrong type). */
export class FeaturizeError extends Error {
    name = 'FeaturizeError';
    feature;
    constructor(feature, message) {
        super(`${feature}: ${message}`);
        this.feature = feature;
    }
}
//# sourceMappingURL=errors.js.map