/** A direct label insert that would overtake labels waiting in the spool: it must join the queue behind them. */
export class OutOfOrderError extends Error {
    name = 'OutOfOrderError';
    constructor() {
        super('earlier labels wait in the spool: this insert goes behind them');
    }
}
/**
 * Inserts spooled parts into ClickHouse for both acknowledgement modes: label inserts one at a time, and rows
 * ClickHouse refuses outright isolated from the rest of their part.
 */
export class PartInserter {
    #sink;
    #spool;
    #isTransient;
    #events;
    /** The last label insert: label inserts run one at a time (see insert). */
    #labelInserts = Promise.resolve();
    constructor(options) {
        this.#sink = options.sink;
        this.#spool = options.spool;
        this.#isTransient = options.isTransient;
        this.#events = options.events;
    }
    /** The sink's own preparation of a payload (see IngestSink.prepare). */
    prepare(part) {
        return this.#sink.prepare?.(part.table, part.payload) ?? Promise.resolve(undefined);
    }
    /** Whether an error is an outage (retry later) rather than a refusal of the rows. */
    isTransient(err) {
        return this.#isTransient(err);
    }
    /**
     * Inserts a part. Label inserts run one at a time whatever maxInFlight says: the label views (migration 4) look
     * up earlier labels of the same id, so two label inserts at once could each miss the other's.
     */
    insert(part, prepared, options = {}) {
        if (part.table !== 'labels')
            return this.#insertIsolating(part, prepared);
        const run = this.#labelInserts.then(() => {
            // Checked when the label insert's turn comes, not when it was queued: an earlier one may have failed meanwhile.
            if (options.inOrder?.() === false)
                throw new OutOfOrderError();
            return this.#insertIsolating(part, prepared);
        });
        this.#labelInserts = run.catch(() => undefined);
        return run;
    }
    /**
     * Inserts a part; when ClickHouse refuses it outright (a row it cannot take, not an outage), bisects it to
     * store every row it does take and keeps only the refused rows in `dead/`, so one bad row never costs its
     * batch. Halves get derived tokens, so a replay of the same part after a crash bisects identically and
     * stores nothing twice. Transient errors propagate: the caller spools and retries.
     */
    async #insertIsolating(part, prepared) {
        try {
            await this.#sink.insert(part.table, part.payload, part.token, prepared);
            return;
        }
        catch (err) {
            if (this.#isTransient(err))
                throw err;
            // Encoded rows are single JSON lines: JSON escapes newlines inside strings.
            const lines = part.payload.split('\n');
            if (lines.length === 1) {
                await this.#spool.buryRows([part]);
                this.#events?.refused?.(part.table, 1, err);
                return;
            }
            const mid = lines.length >> 1;
            await this.#insertIsolating({ table: part.table, token: `${part.token}/l`, payload: lines.slice(0, mid).join('\n') });
            await this.#insertIsolating({ table: part.table, token: `${part.token}/r`, payload: lines.slice(mid).join('\n') });
        }
    }
}
//# sourceMappingURL=part-inserter.js.map