import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkBuild } from '../../bin/build-stamp.mjs'

/**
 * Vitest global setup: builds dist/ when it is missing or older than the sources, so the tests that spawn
 * bin/highway.mjs run the compiled CLI that `npm ci` installs (and start in a fraction of the time). After `npm ci`
 * the build is fresh and this is one stat per source.
 */
export default function buildCli(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  if (checkBuild(root, join(root, 'dist')).fresh) return
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' })
}
