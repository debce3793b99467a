/** A featurisation failure that names the feature, the rule and the value (bad options, or a row of the wrong type). */
export class FeaturizeError extends Error {
  override readonly name = 'FeaturizeError'
  readonly feature: string

  constructor(feature: string, message: string) {
    super(`${feature}: ${message}`)
    this.feature = feature
  }
}
