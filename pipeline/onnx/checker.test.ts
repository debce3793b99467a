import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import protobuf from 'protobufjs'
import { afterAll, describe, expect, it, type TestContext } from 'vitest'
import { makeTempDir } from '../../test/support/temp-dir.ts'
import { exportOnnx } from './index.ts'
import { GraphBuilder } from './graph-builder.ts'
import { encodeModel, OnnxDataType } from './proto.ts'
import { MODEL_VARIANTS, randomModel } from './test-models.ts'

// The ONNX project's checker, from Debian's python3-onnx (1.12): the reference for what a valid model is.
const PYTHON = '/usr/bin/python3'
const SCRIPT = new URL('../../scripts/golden/onnx_check.py', import.meta.url).pathname
const onnxAvailable = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0

/** Skips without python3-onnx, except under CI, where its absence is a failure. */
function needOnnx(ctx: TestContext): void {
  if (onnxAvailable) return
  const message = `python3-onnx is missing (${PYTHON} cannot import onnx): apt-get install -y python3-onnx`
  if (process.env.CI === 'true') throw new Error(message)
  ctx.skip(message)
}

interface CheckResult {
  path: string
  ok: boolean
  error: string | null
  ir_version: number | null
  opsets: Record<string, number> | null
}

function check(paths: string[]): CheckResult[] {
  const result = spawnSync(PYTHON, [SCRIPT, ...paths], { encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as CheckResult)
}

const temp = makeTempDir('onnx-check')
afterAll(() => temp.cleanup())

describe('exported models under onnx.checker.check_model(full_check=True)', () => {
  it('accepts every model kind, at IR 8, opset 17 and ai.onnx.ml 3', (ctx) => {
    needOnnx(ctx)
    const paths = MODEL_VARIANTS.map((variant, i) => {
      const path = join(temp.dir, `model-${i}.onnx`)
      writeFileSync(path, exportOnnx(randomModel(variant.id, 3000 + i)))
      return path
    })
    const results = check(paths)
    expect(results).toHaveLength(MODEL_VARIANTS.length)
    for (const result of results) {
      expect(result.error).toBeNull()
      expect(result.ok).toBe(true)
      expect(result.ir_version).toBe(8)
      expect(result.opsets).toEqual({ 'ai.onnx': 17, 'ai.onnx.ml': 3 })
    }
  })

  it('accepts a model without categories, which imports only the default domain', (ctx) => {
    needOnnx(ctx)
    const path = join(temp.dir, 'numeric-only.onnx')
    const bytes = exportOnnx({
      preprocessor: { features: [{ kind: 'numeric', name: 'age', impute: 40, mean: 41, scale: 9 }] },
      params: { kind: 'mlp', layers: [{ weights: [[0.5], [-1]], bias: [0, 1], activation: 'tanh' }, { weights: [[1, 2]], bias: [0.1], activation: 'identity' }] },
      signature: { task: 'regression', inputs: [{ name: 'age', type: 'number' }], text: [] },
    })
    writeFileSync(path, bytes)
    const [result] = check([path])
    expect(result?.error).toBeNull()
    expect(result?.opsets).toEqual({ 'ai.onnx': 17 })
  })

  it('rejects a graph the checker knows to be wrong, so its verdicts above mean something', (ctx) => {
    needOnnx(ctx)
    // Add of a double input and an int64 constant: both must have the same element type.
    const graph = new GraphBuilder()
    graph.input('x', OnnxDataType.DOUBLE, ['N', 2])
    const k = graph.int64s('k', [2], [1, 2])
    graph.node('Add', ['x', k], 'y')
    graph.output('y', OnnxDataType.DOUBLE, ['N', 2])
    const path = join(temp.dir, 'broken.onnx')
    writeFileSync(path, encodeModel(graph.build({ graphName: 'broken', producerVersion: '0', metadata: {} })))
    const [result] = check([path])
    expect(result?.ok).toBe(false)
    expect(result?.error).toMatch(/type/i)
  })
})

describe('the vendored onnx.proto3', () => {
  it('has the same messages, field numbers and types as onnx 1.12', (ctx) => {
    needOnnx(ctx)
    const result = spawnSync(PYTHON, [SCRIPT, '--schema'], { encoding: 'utf8' })
    expect(result.status, result.stderr).toBe(0)
    const reference = (JSON.parse(result.stdout) as { schema: Record<string, unknown> }).schema

    const text = readFileSync(new URL('./onnx.proto3', import.meta.url), 'utf8')
    const root = protobuf.parse(text, { keepCase: true }).root
    const ours: Record<string, unknown> = {}
    const walk = (namespace: protobuf.NamespaceBase, prefix: string): void => {
      for (const nested of namespace.nestedArray) {
        if (nested instanceof protobuf.Type) {
          ours[prefix + nested.name] = Object.fromEntries(nested.fieldsArray.map((f) => [f.name, [f.id, f.type, f.repeated]]))
          walk(nested, `${prefix}${nested.name}.`)
        } else if (nested instanceof protobuf.Enum) {
          ours[prefix + nested.name] = nested.values
        }
      }
    }
    walk(root.lookup('onnx') as protobuf.Namespace, '')
    expect(ours).toEqual(reference)
  })
})
