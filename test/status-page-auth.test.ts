import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../server/index.ts'
import { chromiumAvailable, launchChromium } from './support/browser.ts'
import { startTestService } from './support/service.ts'

// Issue 15: with auth on, the status page holds no data of its own; its sections come from /v1/status with a
// read-scope key typed into the login form and kept in sessionStorage (never in the URL).

const READ_KEY = 'status-read-secret'
const INGEST_KEY = 'status-ingest-secret'
const hasBrowser = chromiumAvailable()
let service: Awaited<ReturnType<typeof startTestService>>
let browser: Browser | undefined

beforeAll(async () => {
  service = await startTestService({
    auth: {
      keys: [
        { id: 'reader', sha256: hashSecret(READ_KEY), scopes: ['read'] },
        { id: 'shipper', sha256: hashSecret(INGEST_KEY), scopes: ['ingest'] },
      ],
    },
  })
  if (hasBrowser) browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await service?.stop()
})

describe('the status page with auth on', () => {
  it('serves a page with no data in it to a request without a key', async () => {
    const res = await fetch(`${service.url}/`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-auth="keys"')
    expect(html).not.toContain('booking-spam')
  })

  it('answers /v1/status 401 without a key, 403 without the read scope, and the data with it', async () => {
    expect((await fetch(`${service.url}/v1/status`)).status).toBe(401)
    expect((await fetch(`${service.url}/v1/status`, { headers: { authorization: `Bearer ${INGEST_KEY}` } })).status).toBe(403)
    const ok = await fetch(`${service.url}/v1/status`, { headers: { authorization: `Bearer ${READ_KEY}` } })
    expect(ok.status).toBe(200)
    expect((await ok.json()).models.map((m: { name: string }) => m.name)).toEqual(['booking-spam'])
  })

  it.skipIf(!hasBrowser)('shows the login form and no data until a read key is given, then keeps the key in the session, not the URL', async () => {
    const page = await browser!.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${service.url}/`)
    await page.waitForSelector('#login:not([hidden])')
    expect(await page.textContent('#status')).toBe('')
    await page.fill('#key', READ_KEY)
    await page.click('#login button[type="submit"]')
    await page.waitForSelector('#section-models table')
    expect(await page.textContent('#section-models')).toContain('booking-spam')
    expect(await page.evaluate(() => sessionStorage.getItem('highway.key'))).toBe(READ_KEY)
    expect(page.url()).not.toContain(READ_KEY)
    expect(errors).toEqual([])
    await page.close()
  }, 30_000)
})
