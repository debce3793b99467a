import { describe, expect, it } from 'vitest'
import { gatherStatus } from './collect.ts'
import { budgetBar, escapeHtml, renderStatusHtml, sparkline } from './render.ts'

describe('renderStatusHtml', () => {
  it('escapes every value it renders', async () => {
    const status = await gatherStatus({ models: async () => [{ name: '<script>x</script>', task: 'regression', champion: null, versions: [], release: null }] }, { nowMs: 0 })
    const html = renderStatusHtml(status)
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;')
  })

  it('says "none" for a section without a provider, with the reason, and for an empty one', async () => {
    const html = renderStatusHtml(await gatherStatus({ alerts: async () => [] }, { nowMs: 0 }))
    expect(html).toMatch(/id="section-incidents"><h2>Open incidents<\/h2><p class="muted none">none — not available in this process/)
    expect(html).toMatch(/id="section-alerts"><h2>Open alerts<\/h2><p class="muted none">none<\/p>/)
  })
})

describe('gatherStatus', () => {
  it('hides items of other models from a limited key', async () => {
    const status = await gatherStatus(
      { alerts: async () => ['a', 'b'].map((model) => ({ alertname: 'x', severity: 'page', state: 'firing', model, since: '', summary: '' })) },
      { nowMs: 0, models: new Set(['a']) },
    )
    expect(status.alerts!.map((a) => a.model)).toEqual(['a'])
  })

  it('keeps the other sections when one read fails', async () => {
    const status = await gatherStatus({ models: async () => [], alerts: () => Promise.reject(new Error('storage down')) }, { nowMs: 0 })
    expect(status.models).toEqual([])
    expect(status.alerts).toBeNull()
    expect(status.unavailable.alerts).toBe('could not be read: storage down')
  })
})

describe('budgetBar and sparkline', () => {
  it('fills the bar with the share of budget left, clamped to the bar', () => {
    expect(budgetBar(0.25)).toContain('width="40.0"')
    expect(budgetBar(-1)).toContain('width="0.0"')
  })

  it('draws one point per known burn rate and says so when there is none', () => {
    expect(sparkline([0.5, null, 2]).match(/points="([^"]+)"/)![1]!.split(' ')).toHaveLength(2)
    expect(sparkline([null])).toContain('no data')
  })

  it('escapes quotes for attributes', () => {
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;')
  })
})
