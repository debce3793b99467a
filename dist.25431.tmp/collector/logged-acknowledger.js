import { SpoolFullError } from "./spool.js";
/**
 * `acknowledge: logged`: a group is durable once it is an fsynced entry of the spool, which is the write-ahead log
 * the drainer inserts from, many groups per insert. Past `maxLagBytes` of log not yet inserted, the acknowledgement
 * waits for the drainer, so clients are never acknowledged much faster than ClickHouse stores.
 */
export class LoggedAcknowledger {
    spoolsEverything = true;
    #spool;
    #drainer;
    #maxLagBytes;
    #events;
    #spoolFull;
    constructor(options) {
        this.#spool = options.spool;
        this.#drainer = options.drainer;
        this.#maxLagBytes = options.maxLagBytes ?? Infinity;
        this.#events = options.events;
        this.#spoolFull = options.spoolFull;
    }
    async write(group) {
        try {
            await this.#spool.append(group.parts, { combinable: true });
        }
        catch (err) {
            if (err instanceof SpoolFullError)
                throw this.#spoolFull(this.#drainer.degraded ? 'ClickHouse is unavailable and the spool is full' : 'the spool is full: ClickHouse inserts lag behind');
            this.#events?.storageError?.('spool', err);
            // The drainer probes the directory until it takes writes again, so readiness comes back without traffic.
            this.#drainer.kick();
            throw err;
        }
        this.#events?.flushed?.(group.rows, (performance.now() - group.started) / 1000, 'log');
        this.#drainer.kick();
        // Backpressure: acknowledge no faster than ClickHouse stores, beyond a bounded lag. While ClickHouse fails the
        // spool itself is the bound (429 when full).
        while (this.#spool.bytes > this.#maxLagBytes && !this.#drainer.degraded && !this.#drainer.closed)
            await this.#drainer.nextStep();
    }
}
//# sourceMappingURL=logged-acknowledger.js.map