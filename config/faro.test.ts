import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './index.ts'

const MODEL = { name: 'booking-spam', task: 'binary_classification', features: { message: { type: 'text' } } }
const parse = (faro: unknown) => parseConfig({ models: [MODEL], faro }, { source: 'test' })

describe('the faro config block', () => {
  it('defaults to no apps, Alloy\'s 5 MiB payload limit and a per-app rate', () => {
    expect(parseConfig({}, { source: 'test' }).faro).toEqual({ apps: [], maxBodyBytes: 5 * 1024 * 1024, ratePerMinute: 600 })
  })

  it('accepts an app with its key, origins and models', () => {
    expect(parse({ apps: [{ name: 'booking-demo', apiKey: 'k', allowedOrigins: ['https://clinic.example'], models: ['booking-spam'] }] }).faro.apps[0]).toMatchObject({ name: 'booking-demo', models: ['booking-spam'] })
  })

  it('refuses a model that is not configured, naming the key and the value', () => {
    expect(() => parse({ apps: [{ name: 'a', models: ['nope'] }] })).toThrow(ConfigError)
    expect(() => parse({ apps: [{ name: 'a', models: ['nope'] }] })).toThrow(/faro\.apps\[0\]\.models\[0\]: "nope" names no configured model/)
  })

  it('refuses an origin with a path or a trailing slash', () => {
    expect(() => parse({ apps: [{ name: 'a', allowedOrigins: ['https://clinic.example/'] }] })).toThrow(/faro\.apps\[0\]\.allowedOrigins\[0\]: must be an origin/)
  })

  it('refuses two apps of one name', () => {
    expect(() => parse({ apps: [{ name: 'a' }, { name: 'a' }] })).toThrow(/duplicate app name "a"/)
  })
})
