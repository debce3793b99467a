import { Counter, Gauge, Histogram } from 'prom-client';
/** The collector's Prometheus metrics, on the service's registry. */
export class CollectorMetrics {
    registry;
    accepted;
    rejected;
    deduplicated;
    batchRows;
    flushSeconds;
    storageErrors;
    overloaded;
    deadLetters;
    refusedRows;
    constructor(registry, spool) {
        this.registry = registry;
        const registers = [registry];
        this.accepted = new Counter({ name: 'highway_records_accepted_total', help: 'Records stored, by model and kind.', labelNames: ['model', 'kind'], registers });
        this.rejected = new Counter({ name: 'highway_records_rejected_total', help: 'Records quarantined, by model, kind and the rule they broke.', labelNames: ['model', 'kind', 'reason'], registers });
        this.deduplicated = new Counter({ name: 'highway_records_deduplicated_total', help: 'Records of retried requests that were already stored.', labelNames: ['model', 'kind'], registers });
        this.batchRows = new Histogram({
            name: 'highway_ingest_batch_rows',
            help: 'Rows per ClickHouse insert (group commit), spool write while ClickHouse fails, or log append (acknowledge: logged).',
            labelNames: ['to'],
            buckets: [1, 10, 100, 1_000, 5_000, 10_000, 50_000, 100_000],
            registers,
        });
        this.flushSeconds = new Histogram({
            name: 'highway_ingest_flush_duration_seconds',
            help: 'Time to make one batch durable, by destination.',
            labelNames: ['to'],
            buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            registers,
        });
        this.storageErrors = new Counter({ name: 'highway_storage_errors_total', help: 'Failed ClickHouse operations, by operation.', labelNames: ['operation'], registers });
        this.overloaded = new Counter({ name: 'highway_ingest_overloaded_total', help: 'Requests refused with 429 for lack of room.', registers });
        this.deadLetters = new Counter({ name: 'highway_spool_dead_letters_total', help: 'Unreadable spool entries moved to dead/.', registers });
        this.refusedRows = new Counter({ name: 'highway_ingest_refused_rows_total', help: 'Rows ClickHouse refused outright, isolated from their batch and kept in spool/dead/.', labelNames: ['table'], registers });
        new Gauge({ name: 'highway_spool_bytes', help: 'Bytes waiting in the on-disk spool.', registers, collect() { this.set(spool().bytes); } });
        new Gauge({ name: 'highway_spool_entries', help: 'Batches waiting in the on-disk spool.', registers, collect() { this.set(spool().entries); } });
        new Gauge({ name: 'highway_storage_degraded', help: '1 while ClickHouse is failing and ingest goes to the spool.', registers, collect() { this.set(spool().degraded ? 1 : 0); } });
    }
    /** Counts one record quarantined for each rule it broke (a record breaking two rules counts under both). */
    countRejected(model, kind, rules) {
        for (const rule of new Set(rules))
            this.rejected.inc({ model, kind, reason: rule });
    }
}
//# sourceMappingURL=metrics.js.map