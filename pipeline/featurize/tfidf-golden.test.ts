import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readTable } from '../data/index.ts'
import { featurizeText, fitTextTransform } from './index.ts'

// Golden values from scikit-learn 1.2.1's TfidfVectorizer: regenerate with /usr/bin/python3 scripts/golden/tfidf_sklearn.py.
interface GoldenCase {
  name: string
  options: { ngrams: 1 | 2; minDf: number; sublinearTf: boolean }
  vocabularySize: number
  vocabularySha256: string
  idfSum: number
  idfSample: Array<[number, string, number]>
  rows: Array<{ index: number; values: Array<[number, number]> }>
  extra: Array<{ text: string; values: Array<[number, number]> }>
  vocabulary?: string[]
  idf?: number[]
}
const golden = JSON.parse(readFileSync(new URL('../../test/fixtures/golden/tfidf-sms.json', import.meta.url), 'utf8')) as { messages: number; cases: GoldenCase[] }

const table = await readTable(new URL('../../datasets/sms-spam/SMSSpamCollection', import.meta.url).pathname, { format: 'tsv', columns: ['label', 'message'] })
const messages = table.records.map((r) => r.values.message as string)

const TOLERANCE = 1e-9

function expectRow(actual: Float64Array, width: number, row: number, expected: Array<[number, number]>, what: string): void {
  const dense = new Float64Array(width)
  for (const [j, v] of expected) dense[j] = v
  for (let j = 0; j < width; j++) {
    const a = actual[row * width + j]!
    if (Math.abs(a - dense[j]!) > TOLERANCE) throw new Error(`${what}: column ${j} is ${a}, scikit-learn has ${dense[j]}`)
  }
}

describe('TF-IDF against scikit-learn TfidfVectorizer on the SMS spam messages', () => {
  it('reads the same messages the golden script read', () => {
    expect(table.invalid).toEqual([])
    expect(messages).toHaveLength(golden.messages)
  })

  for (const c of golden.cases) {
    describe(`case ${c.name} (ngrams ${c.options.ngrams}, minDf ${c.options.minDf}, sublinear ${c.options.sublinearTf})`, () => {
      const transform = fitTextTransform('message', messages, c.options)

      it('learns the same vocabulary, in the same order', () => {
        expect(transform.vocabulary).toHaveLength(c.vocabularySize)
        if (c.vocabulary) expect(transform.vocabulary).toEqual(c.vocabulary)
        expect(createHash('sha256').update(transform.vocabulary.join('\n'), 'utf8').digest('hex')).toBe(c.vocabularySha256)
        for (const [i, term] of c.idfSample) expect(transform.vocabulary[i]).toBe(term)
      })

      it('learns the same smoothed idf within 1e-9', () => {
        for (const [i, , idf] of c.idfSample) expect(Math.abs(transform.idf[i]! - idf)).toBeLessThanOrEqual(TOLERANCE)
        if (c.idf) c.idf.forEach((idf, i) => expect(Math.abs(transform.idf[i]! - idf)).toBeLessThanOrEqual(TOLERANCE))
        const sum = transform.idf.reduce((s, x) => s + x, 0)
        expect(Math.abs(sum - c.idfSum)).toBeLessThanOrEqual(TOLERANCE * c.vocabularySize)
      })

      it('transforms training messages to the same L2-normalised rows within 1e-9', () => {
        const width = transform.vocabulary.length
        const out = featurizeText(
          transform,
          c.rows.map((r) => messages[r.index]!),
        )
        c.rows.forEach((r, k) => expectRow(out, width, k, r.values, `message ${r.index}`))
      })

      it('transforms unseen texts (unknown terms, NFKC forms, empty) the same way within 1e-9', () => {
        const width = transform.vocabulary.length
        const out = featurizeText(
          transform,
          c.extra.map((e) => e.text),
        )
        c.extra.forEach((e, k) => expectRow(out, width, k, e.values, `text ${JSON.stringify(e.text)}`))
      })
    })
  }
})
