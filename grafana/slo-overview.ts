import { DashboardBuilder, MappingType } from '@grafana/grafana-foundation-sdk/dashboard'
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat'
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table'
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries'
import { CLICKHOUSE } from './datasources.ts'
import { createKit, sloVariable, type BuiltDashboard } from './kit.ts'

/** Panel ids of the SLO overview; fixed, because `viewPanel=<id>` links (alerts' `dashboard_url`) name them. */
export const SLO_PANELS = { budgetRemaining: 1, burnRate: 2, alertTiers: 3, timeToExhaustion: 4, frozen: 5, budgetOverTime: 6, freezeTransitions: 7 } as const

const SLO = 'sloth_slo=~"$slo"'

/** SLO overview: per SLO the budget left, burn rate per window, alert tiers, time to exhaustion and the freeze. */
export function sloOverviewDashboard(): BuiltDashboard {
  const kit = createKit()
  const json = new DashboardBuilder('Highway / SLO overview')
    .uid('highway-slo-overview')
    .tags(['highway', 'slo'])
    .time({ from: 'now-7d', to: 'now' })
    .refresh('1m')
    .withVariable(sloVariable())
    .withPanel(
      new Stat().id(SLO_PANELS.budgetRemaining).title('Error budget remaining').unit('percentunit').span(8).height(6)
        .description('Share of the period budget left (slo:period_error_budget_remaining:ratio); below 0 the SLO is broken.')
        .withTarget(kit.promInstant('A', `slo:period_error_budget_remaining:ratio{${SLO}}`, '{{sloth_slo}}')),
    )
    .withPanel(
      new Stat().id(SLO_PANELS.timeToExhaustion).title('Time to exhaustion').unit('s').span(8).height(6)
        .description('Seconds until the budget is spent at the current burn; absent while not burning.')
        .withTarget(kit.promInstant('A', `highway_slo_time_to_exhaustion_seconds{${SLO}}`, '{{sloth_slo}}')),
    )
    .withPanel(
      new Stat().id(SLO_PANELS.frozen).title('Release freeze').span(8).height(6)
        .description('1 while the error-budget policy freezes releases of the SLO’s model.')
        .mappings([{ type: MappingType.ValueToText, options: { '0': { text: 'open', color: 'green' }, '1': { text: 'frozen', color: 'red' } } }])
        .withTarget(kit.promInstant('A', `highway_slo_frozen{${SLO}}`, '{{sloth_slo}}')),
    )
    .withPanel(
      new TimeSeries().id(SLO_PANELS.burnRate).title('Burn rate per window').span(12).height(9)
        .description('Error ratio over each window divided by the error budget: 1 spends the budget exactly in the period.')
        .withTarget(kit.prom('A', `slo:sli_error:ratio_rate{${SLO}} / on (sloth_id, sloth_service, sloth_slo) group_left () slo:error_budget:ratio{${SLO}}`, '{{sloth_slo}} {{sloth_window}}')),
    )
    .withPanel(
      new TimeSeries().id(SLO_PANELS.alertTiers).title('Burn-rate alert tiers firing').span(12).height(9)
        .description('1 while a multiwindow burn-rate tier (page, ticket) fires.')
        .withTarget(kit.prom('A', `max by (sloth_slo, severity, long_window, short_window) (highway_slo_alert_firing{${SLO}})`, '{{sloth_slo}} {{severity}} {{long_window}}/{{short_window}}')),
    )
    .withPanel(
      new TimeSeries().id(SLO_PANELS.budgetOverTime).title('Budget remaining over time').unit('percentunit').span(12).height(9)
        .withTarget(kit.prom('A', `slo:period_error_budget_remaining:ratio{${SLO}}`, '{{sloth_slo}}')),
    )
    .withPanel(
      new Table().id(SLO_PANELS.freezeTransitions).title('Freeze transitions').span(12).height(9).datasource(CLICKHOUSE)
        .description('When the budget policy froze or released each SLO, and why (slo_policy_transitions).')
        .withTarget(kit.ch('A', `
SELECT at AS time, slo, model, frozen, reason, remaining
FROM slo_policy_transitions
WHERE $__timeFilter_ms(at)
ORDER BY at DESC
LIMIT 500`, { time: 'DateTime', slo: 'String', model: 'String', frozen: 'UInt8', reason: 'String', remaining: 'Float64' }, 'table')),
    )
    .build()
  return { uid: 'highway-slo-overview', slug: 'highway-slo-overview', json, clickhouse: kit.expectations }
}
