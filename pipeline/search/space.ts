import { createSeededRandom, type SeededRandom } from '../../random/index.ts'

export type { ParamSpec, ParamValue, SearchSpace, TrialParams } from '../../config/index.ts'
import type { ParamSpec, ParamValue, SearchSpace, TrialParams } from '../../config/index.ts'

/** Integer ranges wider than this are refused in a grid (a typo such as max 1e6 would mean a million trials). */
const MAX_GRID_INT_VALUES = 1000

function gridValues(name: string, spec: ParamSpec): readonly ParamValue[] {
  switch (spec.type) {
    case 'choice':
      return spec.values
    case 'int': {
      const count = spec.max - spec.min + 1
      if (count > MAX_GRID_INT_VALUES) throw new RangeError(`grid search: parameter "${name}" spans ${count} integers (more than ${MAX_GRID_INT_VALUES}); list values with type "choice"`)
      return Array.from({ length: count }, (_, i) => spec.min + i)
    }
    case 'uniform':
    case 'loguniform':
      throw new RangeError(`grid search: parameter "${name}" is a continuous range (${spec.type}); a grid needs type "choice" or "int"`)
  }
}

/** Every combination of the space's values, in declaration order with the last parameter varying fastest. */
export function enumerateGrid(space: SearchSpace): TrialParams[] {
  const names = Object.keys(space)
  let points: Record<string, ParamValue>[] = [{}]
  for (const name of names) {
    const values = gridValues(name, space[name] as ParamSpec)
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })))
  }
  return points
}

function sampleOne(spec: ParamSpec, random: SeededRandom): ParamValue {
  switch (spec.type) {
    case 'choice':
      return spec.values[random.int(spec.values.length)] as ParamValue
    case 'uniform':
      return spec.min + (spec.max - spec.min) * random.uniform()
    case 'loguniform':
      // Uniform in log space: each decade gets the same share of trials (Bergstra & Bengio 2012).
      return Math.exp(Math.log(spec.min) + (Math.log(spec.max) - Math.log(spec.min)) * random.uniform())
    case 'int':
      return spec.min + random.int(spec.max - spec.min + 1)
  }
}

/** `count` seeded random points of the space (parameters drawn independently, in declaration order). */
export function sampleSpace(space: SearchSpace, count: number, seed: number): TrialParams[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`random search: trials must be a positive integer, got ${count}`)
  const random = createSeededRandom(seed)
  const names = Object.keys(space)
  return Array.from({ length: count }, () => Object.fromEntries(names.map((name) => [name, sampleOne(space[name] as ParamSpec, random)])))
}
