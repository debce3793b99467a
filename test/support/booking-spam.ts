import { join } from 'node:path'
import { modelSpecSchema } from '../../config/index.ts'
import { parseDataArgument, resolveTraining, trainModel } from '../../pipeline/train/index.ts'
import { createRegistry } from '../../registry/index.ts'
import { openStore } from '../../store/index.ts'

const ROOT = new URL('../../', import.meta.url).pathname

/**
 * The booking-spam model of examples/highway.yaml (TF-IDF + logistic regression on datasets/sms-spam) with a small
 * search space and vocabulary, so training takes seconds: the raw config entry, for a service's `models`.
 */
export const SMALL_BOOKING_SPAM = {
  name: 'booking-spam',
  task: 'binary_classification',
  features: { message: { type: 'text', maxLength: 1000 } },
  training: {
    algorithm: 'logistic',
    target: 'label',
    data: { path: join(ROOT, 'datasets/sms-spam/SMSSpamCollection'), format: 'tsv', columns: ['label', 'message'] },
    featurize: { text: { ngrams: 1, minDf: 3, maxFeatures: 400, sublinearTf: true } },
    search: { method: 'grid', space: { C: { type: 'choice', values: [1] } } },
    metric: 'roc_auc',
    gates: { championMargin: 0, latencyP99Ms: 50 },
  },
} as const

/** Trains one version with the real pipeline into `dataDir` (embedded store) and `artifactsDir`; returns its number. */
export async function trainSmallBookingSpam(dataDir: string, artifactsDir: string): Promise<number> {
  const store = await openStore({ mode: 'embedded', dataDir, database: 'highway', retentionDays: 90 })
  try {
    const registry = createRegistry({ store, artifactsDir })
    const model = modelSpecSchema.parse(SMALL_BOOKING_SPAM)
    const training = resolveTraining(model)
    const report = await trainModel({ model, training, source: parseDataArgument(training.data.path!, Date.now(), ROOT), store, registry, codeVersion: 'test' })
    if (!report.eligible) throw new Error(`booking-spam version ${report.version} is not eligible: ${JSON.stringify(report.gates)}`)
    return report.version
  } finally {
    await store.close()
  }
}
