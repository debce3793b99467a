import { describe, expect, it } from 'vitest'
import { startTestService } from '../test/support/service.ts'

describe('a webhook receiver whose secretEnv names an unset variable', () => {
  it('stops the start of the alerts component naming the key and the variable', async () => {
    const receivers = [{ name: 'pager', url: 'http://127.0.0.1:9/hook', secretEnv: 'HIGHWAY_TEST_UNSET_WEBHOOK_SECRET_0f3a' }]
    await expect(startTestService({ alerting: { receivers } }, { components: ['alerts'] })).rejects.toThrow(
      'alerting.receivers[0].secretEnv (receiver pager): environment variable HIGHWAY_TEST_UNSET_WEBHOOK_SECRET_0f3a is not set',
    )
  })
})
