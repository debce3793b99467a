import { gauss } from '../../random/index.ts'

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))

/** The loan model of the analyzer tests: numeric, categorical, text and boolean features, binary task. */
export const LOAN_FEATURES = {
  income: { type: 'number', min: 0, max: 1_000_000 },
  age: { type: 'number', min: 18, max: 100, integer: true },
  region: { type: 'category', values: ['N', 'S', 'E', 'W'], required: false },
  note: { type: 'text' },
  returning: { type: 'boolean' },
} as const

/** Notes cycled through the generated applications. */
export const LOAN_NOTES = ['call me back', 'urgent loan please', 'hello'] as const

/**
 * One applicant's income and age, and the model's score: calibrated by construction (labels are drawn from it),
 * so CBPE has a known truth. `incomeShift` moves mean income by that share, a covariate shift.
 */
export function drawApplicant(r: () => number, incomeShift = 0): { income: number; age: number; score: number } {
  const income = Math.max(0, 50_000 * (1 + incomeShift) + 15_000 * gauss(r))
  const age = Math.min(90, Math.max(18, Math.round(40 + 12 * gauss(r))))
  return { income, age, score: sigmoid((income - 50_000) / 20_000 + (age - 40) / 30) }
}
