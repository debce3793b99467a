import { describe, expect, it } from 'vitest'
import { fastInferRequest, inferRequestSchema } from './v2-codec.ts'

// The hot path checks `$inference_request` by hand and leaves everything else to the schema: the hand-written
// check must never accept a body the schema refuses, or a 400 would change (or vanish).
const input = { name: 'x', datatype: 'FP64', shape: [1, 1], data: [1] }
const bodies: Array<[string, unknown]> = [
  ['a single-row request', { id: 'r1', inputs: [input] }],
  ['a request with the model name KServe sends', { model_name: 'm', inputs: [input] }],
  ['extra fields', { inputs: [{ ...input, extra: 1 }], extra: true }],
  ['no inputs', { inputs: [] }],
  ['inputs not an array', { inputs: {} }],
  ['an id too long', { id: 'x'.repeat(257), inputs: [input] }],
  ['an id not a string', { id: 7, inputs: [input] }],
  ['a model_name not a string', { model_name: 1, inputs: [input] }],
  ['an empty input name', { inputs: [{ ...input, name: '' }] }],
  ['an input name too long', { inputs: [{ ...input, name: 'n'.repeat(257) }] }],
  ['a negative dimension', { inputs: [{ ...input, shape: [-1] }] }],
  ['a fractional dimension', { inputs: [{ ...input, shape: [1.5] }] }],
  ['an unsafe integer dimension', { inputs: [{ ...input, shape: [2 ** 60] }] }],
  ['nine dimensions', { inputs: [{ ...input, shape: [1, 1, 1, 1, 1, 1, 1, 1, 1] }] }],
  ['a datatype not a string', { inputs: [{ ...input, datatype: 5 }] }],
  ['data not an array', { inputs: [{ ...input, data: 1 }] }],
  ['an input that is null', { inputs: [null] }],
  ['parameters (left to the schema)', { parameters: { binary_data_output: true }, inputs: [input] }],
  ['outputs (left to the schema)', { inputs: [input], outputs: [{ name: 'y' }] }],
  ['input parameters (left to the schema)', { inputs: [{ ...input, parameters: { binary_data_size: 8 } }] }],
  ['an array body', [input]],
  ['null', null],
]

describe('fastInferRequest', () => {
  it.each(bodies)('accepts only what the schema accepts: %s', (_name, body) => {
    const fast = fastInferRequest(body)
    const schema = inferRequestSchema.safeParse(body)
    if (fast !== undefined) {
      expect(schema.success).toBe(true)
      expect(fast).toEqual(schema.data)
    }
  })

  it('takes the common shape itself, so the schema runs only for the rest', () => {
    expect(fastInferRequest(bodies[0]![1])).toBe(bodies[0]![1])
    expect(fastInferRequest(bodies[2]![1])).toBe(bodies[2]![1])
    expect(fastInferRequest({ parameters: {}, inputs: [input] })).toBeUndefined()
  })
})
