import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { createCollector, type Collector, type CollectorOptions } from '../../collector/index.ts'
import { Authenticator, BodyBudget, buildOpenApiDocument, createHttpShell, HttpMetrics, systemRoutes, type Route } from '../../server/index.ts'

/** A collector alone behind the HTTP shell (as `highway start collector` serves it) on 127.0.0.1:0. */
export async function serveCollector(options: Omit<CollectorOptions, 'registry'>): Promise<{ url: string; collector: Collector; bodies: BodyBudget; server: Server }> {
  const http = new HttpMetrics()
  const collector = createCollector({ ...options, registry: http.registry })
  const bodies = new BodyBudget(options.config.ingest.maxInflightBodyBytes)
  const routes: Route[] = [...collector.routes]
  routes.push(...systemRoutes({ registry: http.registry, readiness: [() => collector.readiness()], document: () => buildOpenApiDocument(routes, { version: 'test' }) }))
  const shell = createHttpShell({ routes, auth: new Authenticator(options.config.auth.keys), bodies, metrics: http, logger: options.logger, maxBodyBytes: 8 * 1024 * 1024, origins: { loopback: true, allowedOrigins: new Set() } })
  const server = createServer(shell.listener)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, collector, bodies, server }
}
