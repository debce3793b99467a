import type { Config } from '../config/index.ts'
import type { AlertStore } from '../alerts/index.ts'
import type { Incidents } from '../incidents/index.ts'
import type { Registry } from '../registry/index.ts'
import type { ReleaseController } from '../serving/releases/index.ts'
import type { SloReads } from '../slo/index.ts'
import type { StatusDrift, StatusModel, StatusSlo, StatusSources } from '../status/index.ts'
import { latestAnalysisResult, type Store } from '../store/index.ts'

// The status page's providers over the components running in this process (the composition root's adapters; the
// status/ folder declares what it needs and knows none of them).

/** Providers for the sections whose components run here. */
export function createStatusSources(deps: {
  config: Pick<Config, 'models'>
  store: Store
  registry: Registry
  releases: ReleaseController
  sloReads?: SloReads
  alerts?: AlertStore
  incidents?: Pick<Incidents, 'list'>
  withAnalyzer: boolean
}): StatusSources {
  const { config, store, registry, releases } = deps
  const sloReads = deps.sloReads
  const alerts = deps.alerts
  const slos = sloReads
    ? async (): Promise<StatusSlo[]> => {
        const snapshot = await sloReads.snapshot()
        return [...snapshot.statuses.values()].map((s) => ({
          name: s.name,
          model: s.model,
          target: s.target,
          status: s.status,
          sli_ratio: s.sli.ratio,
          budget_remaining: s.error_budget.total > 0 ? s.error_budget.remaining / s.error_budget.total : 1,
          burn_rates: Object.entries(s.burn_rates).map(([window, rate]) => ({ window, rate })),
          frozen: s.policy.frozen,
        }))
      }
    : undefined
  const models = async (): Promise<StatusModel[]> =>
    Promise.all(
      config.models.map(async (m) => {
        const [versions, champion, history] = await Promise.all([registry.listVersions(m.name), registry.resolveAlias(m.name, 'champion'), releases.list(m.name)])
        const latest = history[0]
        return {
          name: m.name,
          task: m.task,
          champion: champion && champion > 0 ? champion : null,
          versions: versions.map((v) => ({ version: v.version, created_at: new Date(v.createdAtMs).toISOString(), eligible: v.gates.every((g) => g.passed) })),
          release: latest ? { id: latest.id, version: latest.version, strategy: latest.strategy, state: latest.state, weight_percent: latest.weightPercent, started_at: latest.startedAt } : null,
        }
      }),
    )
  const drift = deps.withAnalyzer
    ? async (): Promise<StatusDrift[]> => {
        const out: StatusDrift[] = []
        for (const m of config.models) {
          const saved = await latestAnalysisResult(store, { job: 'drift', model: m.name, version: '' })
          const result = saved?.result as { features?: Array<{ feature: string; test: string; statistic: number | null; p_value: number | null; drifted: boolean }> } | undefined
          for (const f of result?.features ?? []) out.push({ model: m.name, feature: f.feature, test: f.test, statistic: f.statistic, p_value: f.p_value, drifted: f.drifted, window_to: new Date(saved!.toMs).toISOString() })
        }
        return out
      }
    : undefined
  const openAlerts = alerts
    ? async () =>
        (await alerts.listStates({ states: ['pending', 'firing'] })).map((a) => ({
          alertname: a.labels.alertname ?? '',
          severity: a.labels.severity ?? '',
          state: a.state,
          model: a.labels.model ?? '',
          since: new Date(a.firedAtMs ?? a.activeAtMs).toISOString(),
          summary: a.annotations.summary ?? '',
        }))
    : undefined
  const incidents = deps.incidents
  const openIncidents = incidents
    ? async () =>
        (await incidents.list({ statuses: ['triage', 'investigating', 'mitigated'] })).map((i) => ({
          id: i.id,
          title: i.title,
          severity: i.severity,
          state: i.status,
          model: i.models.join(', '),
          opened_at: new Date(i.openedAtMs).toISOString(),
        }))
    : undefined
  return { models, ...(slos ? { slos } : {}), ...(drift ? { drift } : {}), ...(openAlerts ? { alerts: openAlerts } : {}), ...(openIncidents ? { incidents: openIncidents } : {}) }
}
