export { nextFreezeState, releaseDecision } from './decide.ts'
export type { BudgetObservation, FreezeState, ReleaseIntent } from './decide.ts'
export { createBudgetPolicy, createFreezeCheck, createManualFreeze, manualFreezeKey } from './budget-policy.ts'
export type { BudgetPolicy, BudgetPolicyOptions, ManualFreeze } from './budget-policy.ts'
