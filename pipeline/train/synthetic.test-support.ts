import { writeFileSync } from 'node:fs'
import { gauss, mulberry32 } from '../../random/index.ts'

/*
 * Small seeded CSVs for the training tests (test code, not exported by index.ts): y = 3·x + 2·[c = "b"] + noise,
 * x uniform in [shift, shift + 1], c in {a, b}, a time column one hour apart; `missingX` of the x cells empty.
 */

/** Writes the CSV and returns its path. */
export function writeSyntheticCsv(path: string, options: { rows?: number; seed?: number; shift?: number; missingX?: number } = {}): string {
  const random = mulberry32(options.seed ?? 1)
  const rows = options.rows ?? 400
  const shift = options.shift ?? 0
  const lines = ['ts,x,c,y']
  for (let i = 0; i < rows; i++) {
    const x = shift + random()
    const c = random() < 0.5 ? 'a' : 'b'
    const y = 3 * x + (c === 'b' ? 2 : 0) + 0.1 * gauss(random)
    const cell = random() < (options.missingX ?? 0) ? '' : x.toFixed(6)
    lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString()},${cell},${c},${y.toFixed(6)}`)
  }
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

/** The synthetic model's spec as the config declares it. */
export const SYNTHETIC_MODEL = {
  name: 'synthetic',
  task: 'regression',
  features: { x: { type: 'number', required: false }, c: { type: 'category' } },
  training: { algorithm: 'ridge', target: 'y', time: 'ts', search: { space: { alpha: { type: 'choice', values: [0.01, 1] } } }, gates: { slice: { feature: 'c', tolerance: 0.5 } } },
} as const
