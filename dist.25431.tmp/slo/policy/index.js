export { nextFreezeState, releaseDecision } from "./decide.js";
export { createBudgetPolicy, createFreezeCheck } from "./budget-policy.js";
//# sourceMappingURL=index.js.map