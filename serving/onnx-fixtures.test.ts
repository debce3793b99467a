import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixtureManifest, type FixtureModel } from './fixtures.ts'

const PYTHON = '/usr/bin/python3'
const FIXTURES: readonly FixtureModel[] = ['regression', 'binary', 'multiclass', 'failing', 'slow', 'typed']

function onnxAvailable(): boolean {
  if (!existsSync(PYTHON)) return false
  try {
    execFileSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const available = onnxAvailable()
// Under CI the checker must run: a missing package fails instead of skipping.
if (!available && process.env.CI !== 'true') {
  process.stderr.write('serving/onnx-fixtures.test.ts: skipped, the ONNX checker needs python3-onnx (apt-get install -y python3-onnx)\n')
}

describe.skipIf(!available && process.env.CI !== 'true')('ONNX test fixtures', () => {
  it('has python3-onnx to check them with (apt-get install -y python3-onnx)', () => {
    expect(available).toBe(true)
  })

  it.each(FIXTURES)('%s.onnx passes onnx.checker and carries its highway.signature', (name) => {
    const { path, signature } = fixtureManifest(name)
    const script = [
      'import json, sys, onnx',
      'm = onnx.load(sys.argv[1])',
      'onnx.checker.check_model(m, full_check=True)',
      'print(json.dumps({"ir": m.ir_version, "opsets": {o.domain: o.version for o in m.opset_import}, "props": {p.key: p.value for p in m.metadata_props}}))',
    ].join('\n')
    const out = JSON.parse(execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' })) as { ir: number; opsets: Record<string, number>; props: Record<string, string> }
    expect(out.ir).toBe(8)
    expect(out.opsets['']).toBe(17)
    expect(JSON.parse(out.props['highway.signature']!)).toEqual(signature)
  })
})
