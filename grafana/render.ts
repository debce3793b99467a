import { collectorDashboard } from './collector.ts'
import { incidentsDashboard } from './incidents.ts'
import type { BuiltDashboard } from './kit.ts'
import { modelHealthDashboard } from './model-health.ts'
import { servingDashboard } from './serving.ts'
import { sloOverviewDashboard } from './slo-overview.ts'

/** Every Highway dashboard, in a fixed order. */
export function buildDashboards(): BuiltDashboard[] {
  return [sloOverviewDashboard(), modelHealthDashboard(), servingDashboard(), collectorDashboard(), incidentsDashboard()]
}

/** The file a dashboard is written to (`<uid>.json`), and its text: stable, two-space JSON with a final newline. */
export function renderDashboard(d: BuiltDashboard): { file: string; text: string } {
  return { file: `${d.uid}.json`, text: `${JSON.stringify(d.json, null, 2)}\n` }
}
