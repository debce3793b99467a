import { z } from 'zod';
// The analyzer's saved results are read back from ClickHouse as JSON: parsed with zod (only the fields read here,
// unknown ones kept), so a result of another shape is "no value", never a crash (analyzer/drift.ts, performance-report.ts).
const nullableNumber = z.number().nullable().optional();
const driftResultSchema = z.looseObject({
    dataset: z.looseObject({ drift_share: z.number() }),
    features: z.array(z.looseObject({ feature: z.string(), statistic: nullableNumber, status: z.string().optional() })),
});
const performanceResultSchema = z.looseObject({
    realised: z.record(z.string(), nullableNumber),
    estimated: z.record(z.string(), z.looseObject({ value: z.number() }).nullable()).optional(),
});
/** The analyzer job whose saved results carry a measure, or undefined when rollups answer it. */
export function measureJob(measure) {
    switch (measure.measure) {
        case 'dataset_drift_share':
        case 'feature_drift':
            return 'drift';
        case 'performance':
        case 'estimated_performance':
            return 'performance';
        case 'freshness_seconds':
        case 'label_coverage':
            return undefined;
    }
}
/**
 * A measure's value in one saved analyzer result: the dataset's drift share, a feature's drift statistic (null
 * while it had too little data), a realised metric, or a CBPE estimate's point value. Undefined: no value.
 */
export function measureValue(measure, result) {
    switch (measure.measure) {
        case 'dataset_drift_share': {
            const r = driftResultSchema.safeParse(result);
            return r.success ? r.data.dataset.drift_share : undefined;
        }
        case 'feature_drift': {
            const r = driftResultSchema.safeParse(result);
            const statistic = r.success ? r.data.features.find((f) => f.feature === measure.feature)?.statistic : undefined;
            return typeof statistic === 'number' ? statistic : undefined;
        }
        case 'performance': {
            const r = performanceResultSchema.safeParse(result);
            const value = r.success ? r.data.realised[measure.metric] : undefined;
            return typeof value === 'number' ? value : undefined;
        }
        case 'estimated_performance': {
            const r = performanceResultSchema.safeParse(result);
            return r.success ? (r.data.estimated?.[measure.metric]?.value ?? undefined) : undefined;
        }
        case 'freshness_seconds':
        case 'label_coverage':
            return undefined;
    }
}
//# sourceMappingURL=measures.js.map