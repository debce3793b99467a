import { describe, expect, it } from 'vitest'
import { COMMAND_HELP, COMMAND_NAMES, COMPONENT_NAMES, overviewHelp } from './help.ts'
import { COMPONENTS } from './service.ts'

describe('help texts', () => {
  it('list the same components as the service runs', () => {
    expect(COMPONENT_NAMES).toEqual(COMPONENTS)
  })

  it('list every command in the overview', () => {
    const overview = overviewHelp('1')
    for (const command of COMMAND_NAMES) expect(overview).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'))
    expect(Object.keys(COMMAND_HELP).sort()).toEqual([...COMMAND_NAMES].sort())
  })
})
