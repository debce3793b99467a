// Whether dist/ (npm run build) still matches the sources it was compiled from. bin/highway.mjs asks before every
// run, so this stays small, synchronous and free of imports beyond node:fs: one stat per input file (~250, ~2 ms).
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where the stamp sits inside the build directory. */
export const STAMP_FILE = 'build-stamp.json'
const STAMP_VERSION = 1

function identity(root, file) {
  const s = statSync(join(root, file))
  return [file, s.size, s.mtimeMs]
}

/**
 * Records every input of a build (paths relative to `root`) with its size and modification time, in
 * `<buildDir>/build-stamp.json`. Written last, so a build that stopped half-way has no stamp and never runs.
 */
export function writeBuildStamp(root, buildDir, files) {
  const stamp = { version: STAMP_VERSION, files: [...files].sort().map((f) => identity(root, f)) }
  writeFileSync(join(buildDir, STAMP_FILE), `${JSON.stringify(stamp)}\n`)
}

/**
 * `{ fresh: true }` when the build in `buildDir` has a stamp and every input it lists still has the recorded size
 * and modification time (equal, not merely older: a checkout of older files must not pass); otherwise
 * `{ fresh: false, reason }` naming the first difference. A new file can only matter once an existing one imports
 * it, and that edit changes the importer.
 */
export function checkBuild(root, buildDir) {
  let stamp
  try {
    stamp = JSON.parse(readFileSync(join(buildDir, STAMP_FILE), 'utf8'))
  } catch {
    return { fresh: false, reason: 'no build (npm run build)' }
  }
  if (stamp?.version !== STAMP_VERSION || !Array.isArray(stamp.files) || stamp.files.length === 0) return { fresh: false, reason: 'the build stamp is unreadable' }
  for (const [file, size, mtimeMs] of stamp.files) {
    let s
    try {
      s = statSync(join(root, file))
    } catch {
      return { fresh: false, reason: `the build is older than the sources (${file} is gone)` }
    }
    if (s.size !== size || s.mtimeMs !== mtimeMs) return { fresh: false, reason: `the build is older than the sources (${file} changed)` }
  }
  return { fresh: true }
}
