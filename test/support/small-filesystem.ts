import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'vitest'

/** Why real filesystem faults cannot be made here (mounting needs root), or undefined when they can. */
export function filesystemFaultsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `mounting a tmpfs needs Linux, this is ${process.platform}`
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root'
  return undefined
}

/**
 * `describe` for tests that mount small filesystems. Without root they are skipped, except under CI=true, where
 * a skipped fault test would hide a regression: there the suite fails, naming why.
 */
export function describeWithFilesystemFaults(name: string, body: () => void): void {
  const missing = filesystemFaultsUnavailable()
  if (missing === undefined) describe(name, body)
  else if (process.env.CI === 'true') describe(name, () => it('can mount a small filesystem (CI runs as root)', () => {
    throw new Error(`${name}: ${missing}; CI must run these tests as root`)
  }))
  else describe.skip(`${name} (${missing})`, body)
}

/** A tmpfs of `sizeMb` mounted on `dir` (created), with the faults the tests inject. */
export interface SmallFilesystem {
  readonly dir: string
  /** Fills the filesystem with a filler file until `leaveBytes` (about) are free. */
  fill(leaveBytes?: number): void
  /** Deletes the filler. */
  unfill(): void
  readOnly(): void
  writable(): void
  unmount(): void
}

/** Mounts a tmpfs of `sizeMb` on `dir`. */
export function mountSmallFilesystem(dir: string, sizeMb: number): SmallFilesystem {
  mkdirSync(dir, { recursive: true })
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir])
  const filler = join(dir, 'filler')
  let mounted = true
  let readOnly = false
  return {
    dir,
    fill(leaveBytes = 0) {
      const { bavail, bsize } = statfsSync(dir)
      const free = Number(bavail) * Number(bsize)
      writeFileSync(filler, Buffer.alloc(Math.max(0, free - leaveBytes)))
    },
    unfill() {
      rmSync(filler, { force: true })
    },
    // A read-only bind mount on top: `remount,ro` of the tmpfs itself is refused while a process (chDB) holds
    // files open for writing, and a bind mount's own flag is not. Writable again: the bind comes off.
    readOnly() {
      if (readOnly) return
      execFileSync('mount', ['--bind', dir, dir])
      execFileSync('mount', ['-o', 'remount,bind,ro', dir])
      readOnly = true
    },
    writable() {
      if (!readOnly) return
      execFileSync('umount', ['-l', dir])
      readOnly = false
    },
    unmount() {
      this.writable()
      if (!mounted) return
      mounted = false
      execFileSync('umount', ['-l', dir])
    },
  }
}
