import { FeaturizeError } from "./errors.js";
import { tokenize } from "./tokenize.js";
// Vocabulary lookups are built once per transform object: serving featurises with the same transform for its life.
const indexCache = new WeakMap();
function vocabularyIndex(transform) {
    let index = indexCache.get(transform);
    if (!index) {
        if (transform.idf.length !== transform.vocabulary.length) {
            throw new FeaturizeError(transform.name, `idf has ${transform.idf.length} entries but the vocabulary ${transform.vocabulary.length}`);
        }
        index = new Map(transform.vocabulary.map((t, i) => [t, i]));
        indexCache.set(transform, index);
    }
    return index;
}
/**
 * TF-IDF rows for texts, row-major [texts.length × vocabulary.length]: raw term counts (or 1 + ln(count)) times
 * idf, each row scaled to unit L2 norm (scikit-learn `norm='l2'`). Missing (null) or term-less texts give all-zero
 * rows. Terms outside the vocabulary are ignored. This is the featuriser that training and serving share.
 */
export function featurizeText(transform, texts) {
    const index = vocabularyIndex(transform);
    const width = transform.vocabulary.length;
    const out = new Float64Array(texts.length * width);
    const counts = new Map();
    texts.forEach((text, r) => {
        if (text === null || text === undefined)
            return;
        if (typeof text !== 'string')
            throw new FeaturizeError(transform.name, `texts[${r}]: must be a string or null, got ${typeof text}`);
        counts.clear();
        for (const term of tokenize(text, transform.ngrams)) {
            const j = index.get(term);
            if (j !== undefined)
                counts.set(j, (counts.get(j) ?? 0) + 1);
        }
        let sumSq = 0;
        const base = r * width;
        for (const [j, count] of counts) {
            const v = (transform.sublinearTf ? 1 + Math.log(count) : count) * transform.idf[j];
            out[base + j] = v;
            sumSq += v * v;
        }
        if (sumSq === 0)
            return;
        const norm = Math.sqrt(sumSq);
        for (const j of counts.keys())
            out[base + j] = out[base + j] / norm;
    });
    return out;
}
//# sourceMappingURL=text-featurizer.js.map