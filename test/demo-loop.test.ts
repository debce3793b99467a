import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { makeTempDir } from './support/temp-dir.ts'

// `highway demo --exit --json` as a user runs it, in a child process: the events of the closed loop in causal order,
// each measured in simulated time, and the error after retraining below the error before.
const CAUSAL = ['model_trained', 'model_released', 'drift_detected', 'slo_burn_alert', 'incident_opened', 'runbook_started', 'model_retrained', 'canary_started', 'canary_promoted', 'fault_injected', 'rolled_back']
const DAY = 86_400_000

interface Event {
  kind: string
  sim_time: string
  version: number | null
  detail: Record<string, unknown>
}

describe('highway demo --exit --json', () => {
  it('closes the loop in causal order, in simulated time, and the error falls after retraining', () => {
    const tmp = makeTempDir('demo-loop')
    try {
      const run = spawnSync(process.execPath, ['bin/highway.mjs', 'demo', '--exit', '--json', '--data-dir', tmp.dir], { encoding: 'utf8', env: { ...process.env, HIGHWAY_FROM_SOURCE: '1' }, timeout: 600_000 })
      expect(run.status, run.stderr).toBe(0)
      const out = JSON.parse(run.stdout) as { ok: boolean; events: Event[]; mae: Record<string, { n: number; mae: number | null }> }
      expect(out.ok).toBe(true)
      const firsts = CAUSAL.map((k) => out.events.findIndex((e) => e.kind === k))
      expect(firsts.every((i) => i >= 0), JSON.stringify(out.events.map((e) => e.kind))).toBe(true)
      expect([...firsts].sort((a, b) => a - b)).toEqual(firsts)
      const at = (kind: string): number => Date.parse(out.events.find((e) => e.kind === kind)!.sim_time)
      // Drift within two weekly analysis intervals of the first replayed week (the onset: traffic beyond training).
      expect(at('drift_detected') - Date.parse(out.events.find((e) => e.kind === 'replay_started')!.sim_time)).toBeLessThanOrEqual(2 * 7 * DAY + 2 * 3_600_000)
      // The faulty version is gone within threshold (2) × interval (1 day) of its canary's start.
      expect(at('rolled_back') - at('canary_started')).toBeGreaterThan(0)
      const faulty = out.events.find((e) => e.kind === 'fault_injected')!.version
      const rolledBack = out.events.find((e) => e.kind === 'rolled_back' && e.version === faulty)!
      const faultCanary = out.events.find((e) => e.kind === 'canary_started' && e.version === faulty)!
      expect(Date.parse(rolledBack.sim_time) - Date.parse(faultCanary.sim_time)).toBeLessThanOrEqual(2 * DAY)
      // MAE of the first model after the page, against the retrained version's.
      const retrained = out.events.find((e) => e.kind === 'canary_promoted')!.version
      const of = (version: number | null) => Object.entries(out.mae).filter(([k]) => k.startsWith('2012-') && k.endsWith(` v${version}`)).map(([, v]) => v.mae!)
      expect(Math.min(...of(retrained))).toBeLessThan(Math.max(...of(1)))
    } finally {
      tmp.cleanup()
    }
  }, 700_000)
})
