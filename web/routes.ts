import { z } from 'zod'
import { defineRoute, staticFileRoutes, type Route } from '../server/index.ts'

/** What the demo page is told at load: the model it asks, and where its Faro SDK sends (null: no Faro app configured). */
export interface DemoPageConfig {
  readonly model: string
  readonly faro: { readonly url: string; readonly app: string; readonly apiKey?: string } | null
}

const demoConfigSchema = z.object({ model: z.string(), faro: z.object({ url: z.string(), app: z.string(), apiKey: z.string().optional() }).nullable() })

/** `/demo` (the built page, web/build) and `/demo/config.json`; the page itself is public, its predictions use the service's auth. */
export function webDemoRoutes(options: { dir: string; page: DemoPageConfig }): Route[] {
  return [
    ...staticFileRoutes({ path: '/demo', dir: options.dir, summary: 'The clinic booking triage demo (web/)', missingHint: 'run `npm run build` (or `node web/bundle.mjs`)' }),
    defineRoute({
      method: 'get',
      path: '/demo/config.json',
      scope: 'public',
      summary: 'The demo page\'s settings: the model it asks and its Faro app (the app\'s key is public by design)',
      responses: { 200: { description: 'Settings', schema: demoConfigSchema } },
      handle: () => ({ json: options.page }),
    }),
  ]
}
