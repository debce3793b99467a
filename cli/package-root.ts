import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

/**
 * The package's root directory: the nearest one above this module holding package.json. The module runs from
 * cli/ (sources, through tsx) or from dist/cli/ (the build), so a fixed `../` would be right in one place only.
 */
export function packageRoot(): string {
  if (root !== undefined) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
  root = dir
  return root
}

/** A file of the package by its path from the root (`datasets/…`), from sources and build alike. */
export function packagePath(path: string): string {
  return join(packageRoot(), path)
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version
}
