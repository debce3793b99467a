import { z } from 'zod';
/*
 * The contract between training (pipeline/), export (pipeline/onnx/) and serving (serving/): what a trained model
 * is, how raw features become its input vector, and what the exported ONNX graph takes and returns. Stored with
 * every registry version (JSON), so it is parsed with zod when read back.
 *
 * ONNX graph contract (every exported model):
 * - one input per raw feature of the signature, named by the feature, shape [N, 1]:
 *   number and boolean → tensor(double) (NaN = missing, imputed inside the graph);
 *   category → tensor(string) ("" or an unseen value = all-zero one-hot);
 *   text → not a graph input: the shared TypeScript featuriser (contract/text-featurizer.ts) turns it into
 *   tensor(double) [N, width] named `<feature>__vector`, in training and in serving alike.
 * - outputs: regression → `prediction` tensor(double) [N, 1]; classification → `probabilities` tensor(double)
 *   [N, classes.length] in the order of `classes` (no ZipMap, no label output).
 * - metadata_props: `highway.signature` = JSON of ModelSignature.
 */
/** One feature's fitted transform, in input-vector order. */
export const featureTransformSchema = z.discriminatedUnion('kind', [
    /** x' = ((x is NaN ? impute : x) − mean) / scale; width 1. */
    z.object({ kind: z.literal('numeric'), name: z.string(), impute: z.number(), mean: z.number(), scale: z.number().positive() }).strict(),
    /** true → 1, false → 0, missing → impute (the training share of true); width 1. */
    z.object({ kind: z.literal('boolean'), name: z.string(), impute: z.number() }).strict(),
    /** One column per category, in this order; missing or unseen → all zeros; width categories.length. */
    z.object({ kind: z.literal('onehot'), name: z.string(), categories: z.array(z.string()).min(1) }).strict(),
    /** Text through the shared TypeScript featuriser; width vocabulary.length. */
    z
        .object({
        kind: z.literal('text'),
        name: z.string(),
        /** Lower-cased tokens of [a-z0-9]+ (after NFKC), unigrams and optionally bigrams. */
        ngrams: z.union([z.literal(1), z.literal(2)]),
        vocabulary: z.array(z.string()).min(1),
        /** Smoothed idf per vocabulary entry: ln((1 + n) / (1 + df)) + 1, as scikit-learn. */
        idf: z.array(z.number()),
        sublinearTf: z.boolean(),
    })
        .strict(),
]);
/** The fitted preprocessing: raw features → one numeric vector. */
export const preprocessorSchema = z.object({ features: z.array(featureTransformSchema).min(1) }).strict();
const denseLayerSchema = z
    .object({
    /** [outputs][inputs]. */
    weights: z.array(z.array(z.number())),
    bias: z.array(z.number()),
    activation: z.enum(['identity', 'relu', 'tanh', 'sigmoid', 'softmax']),
})
    .strict();
/** Undoes a standardised regression target: y = raw × scale + mean. */
const targetScalingSchema = z.object({ mean: z.number(), scale: z.number().positive() }).strict();
/** A trained model's parameters over the preprocessed vector. */
export const modelParamsSchema = z.discriminatedUnion('kind', [
    /** Linear / ridge regression: y = w·x + b (then target scaling). */
    z.object({ kind: z.literal('linear'), weights: z.array(z.number()), bias: z.number(), target: targetScalingSchema.optional() }).strict(),
    /** Logistic regression. Binary: one row, p(classes[1]) = σ(w·x + b). Multinomial: one row per class, softmax. */
    z.object({ kind: z.literal('logistic'), weights: z.array(z.array(z.number())).min(1), bias: z.array(z.number()).min(1) }).strict(),
    /** MLP: layers in order; the last is identity (regression), sigmoid with one output (binary) or softmax. */
    z.object({ kind: z.literal('mlp'), layers: z.array(denseLayerSchema).min(1), target: targetScalingSchema.optional() }).strict(),
]);
/** One raw input of a served model. */
export const signatureInputSchema = z.object({ name: z.string(), type: z.enum(['number', 'boolean', 'category', 'text']) }).strict();
/** What a served model takes and returns: enough to validate requests and interpret outputs without the trainer. */
export const modelSignatureSchema = z
    .object({
    task: z.enum(['binary_classification', 'multiclass_classification', 'regression']),
    inputs: z.array(signatureInputSchema).min(1),
    /** Class names in `probabilities` column order (classification only). */
    classes: z.array(z.string()).optional(),
    /** Text featurisers, needed at serving time to build `<feature>__vector` inputs. */
    text: z.array(featureTransformSchema).default([]),
})
    .strict();
/** The suffix of a text feature's featurised graph input. */
export const TEXT_VECTOR_SUFFIX = '__vector';
//# sourceMappingURL=signature.js.map