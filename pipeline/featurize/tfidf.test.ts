import { describe, expect, it } from 'vitest'
import { FeaturizeError, featurizeText, fitTextTransform, tokenize } from './index.ts'

describe('tokenize', () => {
  it('lower-cases after NFKC and keeps every run of [a-z0-9], one-character tokens included', () => {
    expect(tokenize('U R a WINNER!! Call 0800-123 ＦＲＥＥ ﬁnance')).toEqual(['u', 'r', 'a', 'winner', 'call', '0800', '123', 'free', 'finance'])
  })

  it('splits at characters outside [a-z0-9], accented letters included', () => {
    expect(tokenize('café £100 naïve')).toEqual(['caf', '100', 'na', 've'])
  })

  it('adds bigrams of consecutive tokens joined by one space after the unigrams', () => {
    expect(tokenize('Free entry now', 2)).toEqual(['free', 'entry', 'now', 'free entry', 'entry now'])
  })
})

describe('fitTextTransform', () => {
  const docs = ['b a a', 'a c', 'c d', 'a', 'e e e e']

  it('computes the smoothed idf ln((1 + n) / (1 + df)) + 1 for each term, vocabulary sorted', () => {
    const t = fitTextTransform('note', docs)
    expect(t.vocabulary).toEqual(['a', 'b', 'c', 'd', 'e'])
    const df = { a: 3, b: 1, c: 2, d: 1, e: 1 }
    t.vocabulary.forEach((term, i) => expect(t.idf[i]).toBeCloseTo(Math.log(6 / (1 + df[term as keyof typeof df])) + 1, 14))
  })

  it('keeps terms in at least minDf documents, as a count or as a share of documents', () => {
    expect(fitTextTransform('note', docs, { minDf: 2 }).vocabulary).toEqual(['a', 'c'])
    expect(fitTextTransform('note', docs, { minDf: 0.5 }).vocabulary).toEqual(['a'])
  })

  it('keeps the maxFeatures terms of highest document frequency, ties broken by term, then sorts them', () => {
    // df: a 3, c 2, b/d/e 1 — "e" has the highest total count (4) but is kept last, by term, among df 1.
    expect(fitTextTransform('note', docs, { maxFeatures: 3 }).vocabulary).toEqual(['a', 'b', 'c'])
  })

  it('refuses a minDf that is neither a count nor a share, and a vocabulary that would be empty', () => {
    expect(() => fitTextTransform('note', docs, { minDf: 1.5 })).toThrow(/note: text option minDf must be an integer count ≥ 1 or a share in \(0, 1\), got 1.5/)
    expect(() => fitTextTransform('note', docs, { minDf: 9 })).toThrow(FeaturizeError)
    expect(() => fitTextTransform('note', [':)'])).toThrow(/no term occurs/)
  })
})

describe('featurizeText', () => {
  const t = fitTextTransform('note', ['b a a', 'a c', 'c d', 'a', 'e e e e'])

  it('gives each text a unit-length row of tf × idf, and zeros for null, empty or unknown texts', () => {
    const out = featurizeText(t, ['a a b zzz', null, '', 'zzz'])
    const w = t.vocabulary.length
    const raw = [2 * t.idf[0]!, t.idf[1]!]
    const norm = Math.hypot(...raw)
    expect(out[0]).toBeCloseTo(raw[0]! / norm, 15)
    expect(out[1]).toBeCloseTo(raw[1]! / norm, 15)
    expect(Array.from(out.subarray(2, w))).toEqual([0, 0, 0])
    expect(Array.from(out.subarray(w)).every((v) => v === 0)).toBe(true)
  })

  it('uses 1 + ln(tf) as the term frequency when sublinear', () => {
    const s = fitTextTransform('note', ['b a a', 'a c', 'c d', 'a', 'e e e e'], { sublinearTf: true })
    const out = featurizeText(s, ['a a a b'])
    const raw = [(1 + Math.log(3)) * s.idf[0]!, s.idf[1]!]
    expect(out[0]).toBeCloseTo(raw[0]! / Math.hypot(...raw), 15)
  })
})
