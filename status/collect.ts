import type { Status, StatusSection, StatusSources } from './types.ts'

const PROVIDERS: ReadonlyArray<[StatusSection, keyof StatusSources]> = [
  ['slos', 'slos'],
  ['models', 'models'],
  ['drift', 'drift'],
  ['alerts', 'alerts'],
  ['incidents', 'incidents'],
  ['runbook_runs', 'runbookRuns'],
]

/**
 * Reads every section at once. A section without a provider, or whose read failed, is null with the reason, so one
 * slow or broken component does not blank the page. `models` set: only items of those models (a limited key).
 */
export async function gatherStatus(sources: StatusSources, options: { nowMs: number; models?: ReadonlySet<string> }): Promise<Status> {
  const unavailable: Partial<Record<StatusSection, string>> = {}
  const visible = <T extends { model?: string; name?: string }>(items: T[], byName: boolean): T[] =>
    options.models ? items.filter((i) => options.models!.has((byName ? i.name : i.model) ?? '')) : items
  const read = async (section: StatusSection, key: keyof StatusSources): Promise<unknown[] | null> => {
    const provider = sources[key]
    if (!provider) {
      unavailable[section] = 'not available in this process'
      return null
    }
    try {
      return visible((await provider()) as Array<{ model?: string; name?: string }>, section === 'models')
    } catch (err) {
      unavailable[section] = `could not be read: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300)
      return null
    }
  }
  const values = await Promise.all(PROVIDERS.map(([section, key]) => read(section, key)))
  const out = Object.fromEntries(PROVIDERS.map(([section], i) => [section, values[i]]))
  return { generated_at: new Date(options.nowMs).toISOString(), ...out, unavailable } as Status
}
