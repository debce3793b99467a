export { championGate, sliceGate, invalidInputGate, latencyGate, allGatesPassed, percentile } from './gates.ts'
export type { ChampionGateInput, GateResult, InvalidInputCase, InvalidInputGateInput, LatencyGateInput, SliceGateInput } from './gates.ts'
