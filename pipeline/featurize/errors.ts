// The featurisation error is the contract's (contract/errors.ts): training and serving throw the same class.
export { FeaturizeError } from '../../contract/index.ts'
