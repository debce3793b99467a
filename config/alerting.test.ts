import { describe, expect, it } from 'vitest'
import { alertingSchema, resolveReceiverSecrets } from './alerting.ts'

const withReceiver = (receiver: Record<string, unknown>) => alertingSchema.parse({ receivers: [{ name: 'pager', url: 'http://127.0.0.1:9/hook', ...receiver }] })

describe('a webhook receiver’s secret from the environment (secretEnv)', () => {
  it('reads the named variable into the secret the receiver signs with', () => {
    const resolved = resolveReceiverSecrets(withReceiver({ secretEnv: 'PAGER_SECRET' }), (name) => (name === 'PAGER_SECRET' ? 'sixteen-or-more-chars' : undefined))
    expect(resolved.receivers[0]!.secret).toBe('sixteen-or-more-chars')
  })
  it('stops the start naming the key and the variable when it is unset or empty', () => {
    for (const value of [undefined, '']) {
      expect(() => resolveReceiverSecrets(withReceiver({ secretEnv: 'PAGER_SECRET' }), () => value)).toThrow(
        'alerting.receivers[0].secretEnv (receiver pager): environment variable PAGER_SECRET is not set',
      )
    }
  })
  it('applies the rule of a written secret to its value, without printing the value', () => {
    const run = () => resolveReceiverSecrets(withReceiver({ secretEnv: 'PAGER_SECRET' }), () => 'short-value')
    expect(run).toThrow('the value of PAGER_SECRET must be at least 16 characters')
    expect(run).not.toThrow('short-value')
  })
  it('keeps accepting a literal secret, and refuses both at once', () => {
    expect(resolveReceiverSecrets(withReceiver({ secret: 'written-in-the-config' }), () => undefined).receivers[0]!.secret).toBe('written-in-the-config')
    const both = alertingSchema.safeParse({ receivers: [{ name: 'pager', url: 'http://127.0.0.1:9/hook', secret: 'written-in-the-config', secretEnv: 'PAGER_SECRET' }] })
    expect(both.success ? [] : both.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['receivers.0.secretEnv: give secret or secretEnv, not both'])
  })
  it('refuses a variable name that is not one', () => {
    const bad = alertingSchema.safeParse({ receivers: [{ name: 'pager', url: 'http://127.0.0.1:9/hook', secretEnv: '1-not a name' }] })
    expect(bad.success).toBe(false)
  })
})
