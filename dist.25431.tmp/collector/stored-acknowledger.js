import { OutOfOrderError } from "./part-inserter.js";
import { SpoolFullError } from "./spool.js";
/**
 * `acknowledge: stored`: a group is durable once ClickHouse has stored it, or, while ClickHouse fails, once it is
 * an fsynced spool entry under the group's own tokens, which the drainer replays.
 */
export class StoredAcknowledger {
    spoolsEverything = false;
    #spool;
    #drainer;
    #inserter;
    #events;
    #spoolFull;
    /** Settles when every earlier group is done with the spool: groups append in the order they were started. */
    #appendTurn = Promise.resolve();
    constructor(options) {
        this.#spool = options.spool;
        this.#drainer = options.drainer;
        this.#inserter = options.inserter;
        this.#events = options.events;
        this.#spoolFull = options.spoolFull;
    }
    async write(group) {
        // Taken before the first await, so in the order the writer starts groups. Two groups in flight can both end
        // in the spool (the first failed, the second then queued behind it): they must be replayed in that order.
        const turn = this.#appendTurn;
        let done;
        this.#appendTurn = new Promise((resolve) => (done = resolve));
        try {
            await this.#writeInTurn(group, turn);
        }
        finally {
            done();
        }
    }
    async #writeInTurn(group, turn) {
        const { parts, rows, started } = group;
        let inflight;
        // Straight to ClickHouse only when nothing older waits in the spool (an outage's or a crash's leftovers):
        // inserts must keep the order the labels came in. The label views add a label's outcome and take back the
        // outcome its id counted with before, read from `label_outcomes`; a crash can leave an insert whose rollup
        // part landed and whose outcomes part did not, and a newer label of that id inserted before the replay finds
        // no earlier outcome to take back, so the id is counted twice (docs/storage.md, "Label replays"). Behind the
        // replay, it finds the replayed outcome. A group that waits is acknowledged once in the spool, as in an outage.
        const inOrder = () => !this.#drainer.degraded && this.#spool.entries === 0;
        if (inOrder()) {
            // A copy outlives a crash mid-insert, so the next start replays it and repairs the views (see Spool).
            try {
                inflight = await this.#spool.writeInflight(parts);
            }
            catch (err) {
                this.#events?.storageError?.('spool', err);
                this.#drainer.kick();
                throw err;
            }
            let stored = false;
            try {
                for (const part of parts)
                    await this.#inserter.insert(part, undefined, { inOrder });
                stored = true;
            }
            catch (err) {
                if (!(err instanceof OutOfOrderError)) {
                    this.#events?.storageError?.('insert', err);
                    this.#drainer.markDegraded();
                }
            }
            if (stored) {
                // A copy that cannot be removed now is replayed at the next start under the same tokens: it stores nothing twice.
                await this.#spool.settleInflight(inflight).catch((err) => this.#events?.storageError?.('spool', err));
                this.#events?.flushed?.(rows, (performance.now() - started) / 1000, 'clickhouse');
                return;
            }
        }
        await turn;
        try {
            // Same tokens as the failed attempt: if part of it did land, the replay stores nothing twice.
            await this.#spool.append(parts);
        }
        catch (err) {
            if (err instanceof SpoolFullError)
                throw this.#spoolFull('ClickHouse is unavailable and the spool is full');
            this.#events?.storageError?.('spool', err);
            // The drainer probes the directory until it takes writes again, so readiness comes back without traffic.
            this.#drainer.kick();
            throw err;
        }
        finally {
            // Kept when it cannot be removed: replayed at the next start under the same tokens, it stores nothing twice.
            if (inflight !== undefined)
                await this.#spool.settleInflight(inflight).catch(() => undefined);
        }
        this.#events?.flushed?.(rows, (performance.now() - started) / 1000, 'spool');
        this.#drainer.kick();
    }
}
//# sourceMappingURL=stored-acknowledger.js.map