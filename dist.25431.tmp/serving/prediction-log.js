/**
 * An in-process queue in front of the collector's ingest path. Records are grouped per model and submitted after
 * `lingerMs` (or at once when a batch is full), always after the response has been written, one submission in
 * flight at a time: every insert costs ClickHouse a fixed overhead, so fewer, larger batches cost the serving
 * process less CPU per prediction (bench/RESULTS.md, serving). A full queue or a failed submission drops records and counts
 * them; nothing is thrown to the request path.
 */
export function createQueuedPredictionLog(options) {
    const maxQueued = options.maxQueuedRecords ?? 100_000;
    const maxBatch = options.maxBatchRecords ?? 5_000;
    const lingerMs = options.lingerMs ?? 1000;
    const queues = new Map();
    let queued = 0;
    let dropped = 0;
    let closed = false;
    let scheduled = false;
    let draining;
    const drop = (model, n, reason) => {
        dropped += n;
        try {
            options.onDrop?.(model, n, reason);
        }
        catch {
            // the host's hook failed; the request path must not see it
        }
    };
    const drain = async () => {
        while (queued > 0) {
            for (const [model, records] of queues) {
                if (records.length === 0)
                    continue;
                const batch = records.splice(0, maxBatch);
                queued -= batch.length;
                try {
                    await options.submit(model, batch);
                }
                catch (err) {
                    drop(model, batch.length, 'submit_failed');
                    try {
                        options.onError?.(model, err);
                    }
                    catch {
                        // as above
                    }
                }
            }
        }
    };
    let timer;
    const start = () => {
        if (timer)
            clearTimeout(timer);
        timer = undefined;
        scheduled = false;
        if (draining)
            return;
        draining = drain().finally(() => {
            draining = undefined;
            if (queued > 0)
                schedule();
        });
    };
    const schedule = () => {
        if (draining)
            return;
        if (queued >= maxBatch) {
            // A full batch goes now, but still after the current turn (the response is written first).
            if (!scheduled || timer) {
                if (timer)
                    clearTimeout(timer);
                timer = undefined;
                scheduled = true;
                setImmediate(start);
            }
            return;
        }
        if (scheduled)
            return;
        scheduled = true;
        timer = setTimeout(start, lingerMs);
        timer.unref();
    };
    return {
        get queued() {
            return queued;
        },
        get dropped() {
            return dropped;
        },
        log(model, records) {
            if (closed)
                return drop(model, records.length, 'closed');
            const room = Math.max(0, maxQueued - queued);
            const take = records.length <= room ? records : records.slice(0, room);
            if (take.length < records.length)
                drop(model, records.length - take.length, 'queue_full');
            if (take.length === 0)
                return;
            let q = queues.get(model);
            if (!q)
                queues.set(model, (q = []));
            for (const r of take)
                q.push(r);
            queued += take.length;
            schedule();
        },
        async flush() {
            while (queued > 0 || draining || scheduled) {
                if (draining)
                    await draining;
                else
                    start();
            }
        },
        async close() {
            await this.flush();
            closed = true;
        },
    };
}
/** The prediction log of a server whose collector is remote: the Highway SDK batches, retries and never throws. */
export function createSdkPredictionLog(client) {
    return {
        log(model, records) {
            // The SDK passes records through to the collector, which validates them.
            for (const r of records)
                client.logPrediction(model, toSdkInput(r));
        },
        flush: () => client.flush(),
        close: () => client.close(),
    };
}
function toSdkInput(r) {
    const { prediction, status, ...rest } = r;
    if (status === 'ok' && prediction !== null)
        return { ...rest, prediction, status };
    return { ...rest, status: status === 'ok' ? 'error' : status, prediction };
}
//# sourceMappingURL=prediction-log.js.map