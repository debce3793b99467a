import { randomUUID } from 'node:crypto';
import { OverloadedError } from "./durable-types.js";
import { LoggedAcknowledger } from "./logged-acknowledger.js";
import { PartInserter } from "./part-inserter.js";
import { SpoolDrainer } from "./spool-drainer.js";
import { StoredAcknowledger } from "./stored-acknowledger.js";
export { OverloadedError };
const TABLES = ['predictions', 'labels', 'quarantine'];
function newGroup() {
    let resolveDone;
    const done = new Promise((r) => (resolveDone = r));
    return { lines: { predictions: [], labels: [], quarantine: [] }, rows: 0, bytes: 0, waiters: [], done, resolveDone };
}
/**
 * Group commit with a write-ahead spool. Requests submitted while a write is in flight are merged into the next
 * one, so throughput grows with load without a fixed delay. `submit` resolves only once the rows are durable, as
 * the acknowledgement mode's strategy decides (LoggedAcknowledger, StoredAcknowledger); one SpoolDrainer inserts
 * whatever the spool holds, for both. Either way a replay never stores a row twice.
 */
export class DurableWriter {
    #o;
    #bootId = randomUUID();
    #drainer;
    #acknowledger;
    /** Groups not started yet, oldest first; submissions join the last one. */
    #waiting = [];
    /** Every group not settled yet (waiting or in flight), oldest first. */
    #unsettled = [];
    #maxInFlight;
    #inFlight = 0;
    #seq = 0;
    #pendingBytes = 0;
    /** Spool bytes when a submission was last refused for want of spool room; readiness stays off until it shrinks. */
    #spoolRefusedAtBytes;
    #closed = false;
    constructor(options) {
        const maxInFlight = options.maxInFlight ?? 1;
        if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
            throw new Error(`maxInFlight must be a positive integer, got ${maxInFlight}`);
        this.#o = options;
        this.#maxInFlight = maxInFlight;
        const { spool, events } = options;
        const inserter = new PartInserter({ sink: options.sink, spool, isTransient: options.isTransient, ...(events ? { events } : {}) });
        this.#drainer = new SpoolDrainer({ spool, inserter, maxBatchRows: options.maxBatchRows, backoffMs: options.drainBackoffMs ?? { min: 100, max: 30_000 }, ...(events ? { events } : {}) });
        this.#drainer.onEmpty = () => (this.#spoolRefusedAtBytes = undefined);
        const spoolFull = (message) => {
            this.#spoolRefusedAtBytes = spool.bytes;
            return new OverloadedError(message, 30);
        };
        const common = { spool, drainer: this.#drainer, spoolFull, ...(events ? { events } : {}) };
        this.#acknowledger =
            options.acknowledge === 'logged'
                ? new LoggedAcknowledger({ ...common, ...(options.maxLagBytes !== undefined ? { maxLagBytes: options.maxLagBytes } : {}) })
                : new StoredAcknowledger({ ...common, inserter });
    }
    /** True while ClickHouse is failing and new batches go to the spool. */
    get degraded() {
        return this.#drainer.degraded;
    }
    /** Encoded bytes waiting in memory. */
    get pendingBytes() {
        return this.#pendingBytes;
    }
    /** The spool this writer falls back to. */
    get spool() {
        return this.#o.spool;
    }
    /** True when new submissions would be refused for lack of room. */
    get full() {
        if (this.#pendingBytes >= this.#o.maxPendingBytes)
            return true;
        if (!this.degraded && !this.#acknowledger.spoolsEverything)
            return false;
        // wouldOverflow(1) alone almost never holds: every entry carries a header, so the spool stops short of its
        // bound while already refusing requests. Once one is refused, stay not-ready until the drainer frees room.
        const refusedAt = this.#spoolRefusedAtBytes;
        return this.#o.spool.wouldOverflow(1) || (refusedAt !== undefined && this.#o.spool.bytes >= refusedAt);
    }
    /** Whether a record submitted now would be made durable at once, and if not why (for `/readyz`). */
    readiness() {
        const spoolHealth = this.#o.spool.health;
        const spool = spoolHealth.state === 'failing' ? 'failing' : this.full && this.#pendingBytes < this.#o.maxPendingBytes ? 'full' : 'writable';
        const storage = this.degraded ? 'degraded' : 'ok';
        const reasons = [];
        if (storage === 'degraded')
            reasons.push('ClickHouse inserts are failing; records wait in the spool');
        if (spool === 'failing')
            reasons.push(`the spool cannot be written: ${spoolHealth.error ?? 'unknown error'}`);
        if (spool === 'full')
            reasons.push(`the spool is full (${this.#o.spool.bytes} of ${this.#o.spool.maxBytes} bytes)`);
        if (this.#pendingBytes >= this.#o.maxPendingBytes)
            reasons.push(`the ingest queue is full (${this.#pendingBytes} bytes waiting)`);
        return { ready: reasons.length === 0, storage, spool, reasons };
    }
    /** Starts replaying whatever the spool holds (left by a crash or an outage). */
    start() {
        this.#drainer.kick();
    }
    /** Resolves once the rows are durable; rejects with OverloadedError when there is no room. */
    submit(batch) {
        if (this.#closed)
            return Promise.reject(new OverloadedError('collector is shutting down', 5));
        const rows = batch.predictions.length + batch.labels.length + batch.quarantine.length;
        if (rows === 0)
            return Promise.resolve();
        let bytes = 0;
        for (const t of TABLES)
            for (const line of batch[t])
                bytes += line.length + 1;
        if (this.#pendingBytes + bytes > this.#o.maxPendingBytes) {
            return Promise.reject(new OverloadedError(`ingest queue full: ${this.#pendingBytes} bytes waiting`, 1));
        }
        if ((this.degraded || this.#acknowledger.spoolsEverything) && this.#o.spool.wouldOverflow(bytes)) {
            this.#spoolRefusedAtBytes = this.#o.spool.bytes;
            return Promise.reject(new OverloadedError(this.degraded ? 'ClickHouse is unavailable and the spool is full' : 'the spool is full: ClickHouse inserts lag behind', 30));
        }
        let group = this.#waiting[this.#waiting.length - 1];
        if (group === undefined || group.rows >= this.#o.maxBatchRows) {
            group = newGroup();
            this.#waiting.push(group);
            this.#unsettled.push(group);
        }
        for (const t of TABLES)
            for (const line of batch[t])
                group.lines[t].push(line);
        group.rows += rows;
        group.bytes += bytes;
        this.#pendingBytes += bytes;
        const done = new Promise((resolve, reject) => group.waiters.push({ resolve, reject }));
        this.#startGroups();
        return done;
    }
    /** Resolves when everything submitted before the call has been settled. */
    barrier() {
        if (this.#unsettled.length === 0)
            return Promise.resolve();
        // With more than one insert in flight, a later group can settle before an earlier one.
        return Promise.all(this.#unsettled.map((g) => g.done)).then(() => undefined);
    }
    /**
     * Resolves true once every row submitted before the call is in ClickHouse; false at once while ClickHouse fails
     * (the rows wait in the spool). What a retried request needs before it asks ClickHouse what an earlier attempt stored.
     */
    async stored() {
        await this.barrier();
        // Entry names are sequence numbers of one width: every entry up to the newest one now must be gone.
        const last = this.#o.spool.names().at(-1);
        const waiting = () => {
            const oldest = this.#o.spool.names()[0];
            return last !== undefined && oldest !== undefined && oldest <= last;
        };
        while (waiting()) {
            if (this.degraded || this.#drainer.closed)
                return false;
            this.#drainer.kick();
            await this.#drainer.nextStep();
        }
        return true;
    }
    /**
     * Settles what is queued and gives the drainer up to `drainMs` (default 10 s) to insert what the spool holds, so
     * a graceful stop leaves ClickHouse up to date; then stops it and gives up the spool's lock. What is left stays on
     * disk for the next start.
     */
    async close(options = {}) {
        await this.barrier();
        let timer;
        const deadline = new Promise((resolve) => {
            timer = setTimeout(() => resolve(false), options.drainMs ?? 10_000);
            timer.unref();
        });
        await Promise.race([this.stored(), deadline]);
        clearTimeout(timer);
        this.#closed = true;
        await this.#drainer.close();
        this.#o.spool.close();
    }
    /** Starts waiting groups, oldest first, while fewer than maxInFlight are being written. */
    #startGroups() {
        while (this.#inFlight < this.#maxInFlight && this.#waiting.length > 0) {
            const group = this.#waiting.shift();
            this.#inFlight++;
            void this.#settle(group);
        }
    }
    async #settle(group) {
        try {
            const seq = this.#seq++;
            const parts = TABLES.filter((t) => group.lines[t].length > 0).map((t) => ({
                table: t,
                token: `${this.#bootId}:${seq}:${t}`,
                payload: group.lines[t].join('\n'),
            }));
            await this.#acknowledger.write({ rows: group.rows, parts, started: performance.now() });
            for (const w of group.waiters)
                w.resolve();
        }
        catch (err) {
            for (const w of group.waiters)
                w.reject(err);
        }
        finally {
            this.#inFlight--;
            this.#unsettled.splice(this.#unsettled.indexOf(group), 1);
            this.#pendingBytes -= group.bytes;
            group.resolveDone();
            this.#startGroups();
        }
    }
}
//# sourceMappingURL=durable-writer.js.map