import { DRIFT_TESTS } from "../config/index.js";
import { PREDICTION_FEATURE } from "../store/index.js";
import { buildVocabulary, fitReconstruction, fitReconstructionThreshold, splitChunks, textDescriptors } from "./multivariate/index.js";
import { fitCbpe } from "./performance/index.js";
import { DEFAULT_BIN_COUNT, defaultTest, histogram, referenceBinEdges, runNumericalTest, runCategoricalTest } from "./stats/index.js";
import { sketchKey } from "./sketch.js";
// Distinct values up to which a numeric feature keeps its value counts (categorical treatment, Evidently's ≤ 5
// rule applies on reference ∪ current, so keep a margin).
const FEW_VALUES_KEPT = 20;
const UNIQUE_CAP = 1000;
/** Chunks the reference is cut into for chunk thresholds and sampling errors (NannyML's default of 10 chunks). */
export const REFERENCE_CHUNKS = 10;
/** Numeric profile of a sample. */
export function profileNumeric(values, missing) {
    const finite = values.filter(Number.isFinite);
    const n = finite.length;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of finite) {
        sum += v;
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    const mean = n ? sum / n : 0;
    let ss = 0;
    for (const v of finite)
        ss += (v - mean) ** 2;
    const distinct = new Map();
    const sketch = {};
    for (const v of finite) {
        if (distinct.size <= UNIQUE_CAP)
            distinct.set(v, (distinct.get(v) ?? 0) + 1);
        const k = String(sketchKey(v));
        sketch[k] = (sketch[k] ?? 0) + 1;
    }
    const edges = referenceBinEdges(finite, DEFAULT_BIN_COUNT);
    const profile = {
        kind: 'numerical',
        n,
        missing,
        mean,
        std: n ? Math.sqrt(ss / n) : 0,
        min: n ? min : 0,
        max: n ? max : 0,
        unique: Math.min(distinct.size, UNIQUE_CAP),
        edges,
        counts: histogram(finite, edges),
        sketch,
    };
    if (distinct.size <= FEW_VALUES_KEPT) {
        const values = {};
        const exactValues = {};
        for (const [v, c] of distinct) {
            const k = String(sketchKey(v));
            values[k] = (values[k] ?? 0) + c;
            exactValues[k] = v;
        }
        return { ...profile, values, exactValues };
    }
    return profile;
}
/** Categorical profile of a sample. */
export function profileCategorical(values, missing) {
    const counts = {};
    for (const v of values)
        counts[v] = (counts[v] ?? 0) + 1;
    return { kind: 'categorical', n: values.length, missing, counts };
}
/** Builds the reference profile of a model from its sample (pure, so it is tested without storage). */
export function buildReferenceProfile(model, sample) {
    const features = {};
    const chunkStatistics = {};
    const chunks = sample.rows >= 2 * REFERENCE_CHUNKS ? splitChunks(sample.rows, Math.floor(sample.rows / REFERENCE_CHUNKS), 'drop') : [];
    for (const [name, spec] of Object.entries(model.features)) {
        if (spec.type === 'number' || spec.type === 'boolean') {
            const values = sample.numeric.get(name) ?? new Float64Array();
            const profile = profileNumeric(values, sample.rows - values.length);
            features[name] = profile;
            const configured = model.drift.features[name];
            // Evidently's default over the feature's values (missing rows do not count as reference rows).
            const choice = configured?.test ?? defaultTest('numerical', profile.n, profile.unique).test;
            const binning = configured?.binning ?? model.drift.binning;
            // Chunk statistics compare each reference chunk with the whole reference (NannyML's threshold learning).
            if (chunks.length > 1 && values.length === sample.rows) {
                chunkStatistics[name] = chunks.flatMap((c) => {
                    const part = values.subarray(c.start, c.end);
                    // Chunk thresholds compare statistics, so permutation tests skip their permutations here.
                    const out = isCategoricalTest(choice) ? runCategoricalTest(choice, ...alignCounts(valueCounts(values), valueCounts(part)), { permutations: 0 }) : runNumericalTest(choice, values, part, { binning, permutations: 0 });
                    return out.ok ? [out.statistic] : [];
                });
            }
        }
        else if (spec.type === 'category') {
            const values = sample.categorical.get(name) ?? [];
            features[name] = profileCategorical(values, sample.rows - values.length);
        }
        else {
            const texts = sample.text.get(name) ?? [];
            const vocabulary = buildVocabulary(texts);
            const d = textDescriptors(texts, vocabulary);
            features[name] = {
                kind: 'text',
                n: texts.length,
                missing: sample.rows - texts.length,
                vocabulary: [...vocabulary],
                descriptors: {
                    length: profileNumeric(Float64Array.from(d.length), 0),
                    tokens: profileNumeric(Float64Array.from(d.tokens), 0),
                    oov_share: profileNumeric(Float64Array.from(d.oovShare), 0),
                },
            };
        }
    }
    const predictions = sample.numeric.get(PREDICTION_FEATURE);
    const numericNames = Object.entries(model.features).filter(([, f]) => f.type === 'number' || f.type === 'boolean').map(([k]) => k);
    return {
        rows: sample.rows,
        labelled: sample.labels.length,
        features,
        prediction: predictions && predictions.length > 0 ? profileNumeric(predictions, sample.rows - predictions.length) : null,
        label: sample.labels.length > 0 ? profileNumeric(sample.labels, sample.rows - sample.labels.length) : null,
        cbpe: fitCbpeIfPossible(model, sample),
        ...reconstructionOf(sample, numericNames),
        chunkStatistics,
    };
}
function isCategoricalTest(test) {
    return test in DRIFT_TESTS && DRIFT_TESTS[test] === 'categorical';
}
function valueCounts(values) {
    const m = new Map();
    for (let i = 0; i < values.length; i++) {
        const k = String(sketchKey(values[i]));
        m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
}
/** Aligns two count maps over the union of their keys (sorted), as the categorical tests expect. */
export function alignCounts(reference, current) {
    const ref = reference instanceof Map ? reference : new Map(Object.entries(reference));
    const cur = current instanceof Map ? current : new Map(Object.entries(current));
    const keys = [...new Set([...ref.keys(), ...cur.keys()])].sort();
    return [keys.map((k) => ref.get(k) ?? 0), keys.map((k) => cur.get(k) ?? 0)];
}
function fitCbpeIfPossible(model, sample) {
    if (model.task !== 'binary_classification' || sample.labels.length < 2 * REFERENCE_CHUNKS)
        return null;
    let positives = 0;
    for (const l of sample.labels)
        positives += l === 1 ? 1 : 0;
    if (positives === 0 || positives === sample.labels.length)
        return null;
    if (sample.scores.some((s) => !(s >= 0 && s <= 1)) || sample.labels.some((l) => l !== 0 && l !== 1))
        return null;
    return fitCbpe({ scores: sample.scores, labels: sample.labels });
}
function reconstructionOf(sample, numeric) {
    const cols = sample.matrix.features.map((f, i) => [f, i]).filter(([f]) => numeric.includes(f));
    const skipped = (reason) => ({ reconstruction: null, reconstructionSkipped: reason });
    if (cols.length < 2)
        return skipped(`multivariate drift needs at least 2 numeric features in the reference, it has ${cols.length}`);
    if (sample.rows < 2 * REFERENCE_CHUNKS)
        return skipped(`multivariate drift needs at least ${2 * REFERENCE_CHUNKS} reference rows, it has ${sample.rows}`);
    const imputeMeans = columnMeans(sample.matrix.rows, cols.map(([, i]) => i));
    const rows = imputeRows(sample.matrix.rows, cols.map(([, i]) => i), imputeMeans);
    // PCA has nothing to reconstruct when no feature varies (the fit would divide by a zero total variance).
    if (rows.every((r) => r.every((v, j) => v === rows[0][j])))
        return skipped(`multivariate drift needs a numeric feature that varies; every one is constant in the reference (${cols.map(([f]) => f).join(', ')})`);
    const model = fitReconstruction({ rows });
    const band = fitReconstructionThreshold(model, rows, Math.floor(rows.length / REFERENCE_CHUNKS));
    return { reconstruction: { features: cols.map(([f]) => f), imputeMeans, model, lower: band.lower, upper: band.upper }, reconstructionSkipped: null };
}
/** Means of the chosen columns over finite values (the imputation NannyML uses for numeric features). */
export function columnMeans(rows, columns) {
    return columns.map((c) => {
        let s = 0;
        let n = 0;
        for (const r of rows) {
            const v = r[c];
            if (Number.isFinite(v)) {
                s += v;
                n++;
            }
        }
        return n ? s / n : 0;
    });
}
/** Selects columns and fills missing values with the given means. */
export function imputeRows(rows, columns, means) {
    return rows.map((r) => columns.map((c, j) => (Number.isFinite(r[c]) ? r[c] : means[j])));
}
//# sourceMappingURL=profile.js.map