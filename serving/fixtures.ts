import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ModelSignature } from '../contract/index.ts'
import type { LoadableVersion } from './types.ts'

/** The committed test models (scripts/fixtures/onnx_models.py → test/fixtures/onnx/). */
export type FixtureModel = 'regression' | 'binary' | 'multiclass' | 'failing' | 'slow' | 'typed'

/** One expected case of a fixture, computed independently with NumPy by the generator. */
export interface FixtureCase {
  readonly features: Record<string, number | string | null>
  readonly prediction: number | string
  readonly scores?: Record<string, number>
}

interface Manifest {
  readonly models: ReadonlyArray<{ file: string; signature: ModelSignature; cases: FixtureCase[] }>
}

const DIR = fileURLToPath(new URL('../test/fixtures/onnx/', import.meta.url))

/** The manifest entry of a fixture model. */
export function fixtureManifest(name: FixtureModel): { signature: ModelSignature; cases: FixtureCase[]; path: string } {
  const manifest = JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8')) as Manifest
  const entry = manifest.models.find((m) => m.file === `${name}.onnx`)
  if (!entry) throw new Error(`test/fixtures/onnx/manifest.json has no ${name}.onnx; run /usr/bin/python3 scripts/fixtures/onnx_models.py`)
  return { signature: entry.signature, cases: entry.cases, path: `${DIR}${name}.onnx` }
}

/** A fixture as a loadable version of `model`. */
export function fixtureVersion(name: FixtureModel, model: string, version: number, extra: Partial<LoadableVersion> = {}): LoadableVersion {
  const m = fixtureManifest(name)
  return { model, version, onnx: new Uint8Array(readFileSync(m.path)), signature: m.signature, ...extra }
}
