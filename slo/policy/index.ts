export { nextFreezeState, releaseDecision } from './decide.ts'
export type { BudgetObservation, FreezeState, ReleaseIntent } from './decide.ts'
export { createBudgetPolicy, createFreezeCheck } from './budget-policy.ts'
export type { BudgetPolicy, BudgetPolicyOptions } from './budget-policy.ts'
