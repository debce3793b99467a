import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { modelSpecSchema } from '../../config/index.ts'
import { makeTempDir } from '../../test/support/temp-dir.ts'
import { loadStage, parseDataArgument, resolveTraining, splitStage, TrainingError } from './index.ts'
import { SYNTHETIC_MODEL, writeSyntheticCsv } from './synthetic.test-support.ts'

// The stages of trainModel run alone: no store, no registry, just what each one reads.

const tmp = makeTempDir('train-stages')
afterAll(() => tmp.cleanup())
const model = modelSpecSchema.parse(SYNTHETIC_MODEL)
const training = resolveTraining(model)

describe('trainModel stages, run alone', () => {
  it('loads and validates a file without a store, then splits it by time with the preprocessor fitted on train', async () => {
    const path = writeSyntheticCsv(join(tmp.dir, 'rows.csv'), { rows: 200 })
    const source = parseDataArgument(path, Date.now(), tmp.dir)
    const data = await loadStage({ source, model, training })
    expect({ total: data.total, valid: data.rows.length }).toEqual({ total: 200, valid: 200 })
    const p = splitStage({ source, model, training }, data)
    expect(p.splits.method).toBe('time')
    expect(p.splits.train.length + p.splits.validation.length + p.splits.holdout.length).toBe(200)
    expect(p.classes).toBeNull()
    expect(p.trainY.length).toBe(p.splits.train.length)
  })

  it('refuses a stored window when there is no store, naming the way out', async () => {
    const source = parseDataArgument('clickhouse:7d', Date.now(), tmp.dir)
    await expect(loadStage({ source, model, training })).rejects.toThrow(TrainingError)
    await expect(loadStage({ source, model, training })).rejects.toThrow(/needs the store; train from a file/)
  })
})
