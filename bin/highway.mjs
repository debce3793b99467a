#!/usr/bin/env node
// The `highway` command. It runs dist/, the JavaScript `npm run build` compiles from the TypeScript sources
// (`npm ci` builds it through `prepare`), when the build stamp shows dist/ was built from the sources as they are
// now; otherwise it runs the sources through tsx (seconds slower to start) and says so on stderr, so a stale build
// never runs. HIGHWAY_FROM_SOURCE=1 asks for the sources without the note.
/* global process */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkBuild } from './build-stamp.mjs'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
let main
const build = process.env.HIGHWAY_FROM_SOURCE === '1' ? { fresh: false } : checkBuild(ROOT, join(ROOT, 'dist'))
if (build.fresh) {
  ;({ main } = await import('../dist/cli/main.js'))
} else {
  if (build.reason) process.stderr.write(`highway: ${build.reason}; running the TypeScript sources through tsx (slower start)\n`)
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../cli/main.ts'))
}
process.exitCode = await main(process.argv.slice(2))
