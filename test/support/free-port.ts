import { createServer } from 'node:net'

/** A loopback TCP port free at the time of asking, for a child process (Prometheus, Alertmanager) to bind. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
