import { randomUUID } from 'node:crypto';
import { UnreadableSpoolEntryError } from "./spool.js";
const TABLES = ['predictions', 'labels', 'quarantine'];
/**
 * The one drainer of a spool, for both acknowledgement modes: inserts what the spool holds, oldest first, and
 * retries with a doubling backoff while ClickHouse or the spool's own directory fails. It never throws: a full or
 * read-only disk, a failed claim write or a failed rename is a failed step, retried, never the end of the process.
 *
 * The oldest free entry, if combinable, is inserted together with the combinable entries after it up to
 * maxBatchRows, under a claim written first (see Spool), so a replay after a crash takes the same rows under the
 * same token; an entry that is not combinable goes alone under its own tokens.
 */
export class SpoolDrainer {
    #o;
    #degraded = false;
    #draining;
    #closed = false;
    #wake;
    /** Batches read (and claimed) for the drainer, oldest first: the one being inserted and the next. */
    #ready = [];
    /** Woken after every drain step. */
    #watchers = [];
    /** Set when the spool empties; the writer clears its spool-full mark then. */
    onEmpty;
    constructor(options) {
        this.#o = options;
    }
    /** True while ClickHouse inserts fail (since the last failure, until a drain step succeeds). */
    get degraded() {
        return this.#degraded;
    }
    /** Called by a direct insert (acknowledge: stored) that failed: new groups go to the spool until the drainer succeeds. */
    markDegraded() {
        this.#degraded = true;
    }
    get closed() {
        return this.#closed;
    }
    /** Resolves after the next drain step (or at close). */
    nextStep() {
        if (this.#closed)
            return Promise.resolve();
        return new Promise((resolve) => this.#watchers.push(resolve));
    }
    /** Starts the drain loop unless it runs; it stops when the spool is empty and writable. */
    kick() {
        if (this.#draining || this.#closed)
            return;
        this.#draining = this.#loop()
            .catch((err) => this.#o.events?.storageError?.('drain', err))
            .finally(() => {
            this.#draining = undefined;
            // An entry may have been spooled after the loop saw an empty spool.
            if ((this.#o.spool.entries > 0 || this.#o.spool.health.state !== 'writable') && !this.#closed)
                this.kick();
        });
    }
    /** Stops the loop (after the step in flight) and wakes every watcher. */
    async close() {
        this.#closed = true;
        this.#wake?.();
        await this.#draining;
        this.#step();
    }
    #step() {
        const watchers = this.#watchers;
        this.#watchers = [];
        for (const w of watchers)
            w();
    }
    async #loop() {
        const { min, max } = this.#o.backoffMs;
        let wait = min;
        while (!this.#closed) {
            let step;
            try {
                step = await this.#drainOnce();
            }
            catch (err) {
                step = await this.#recover(err);
            }
            if (step !== 'failed') {
                this.#degraded = false;
                if (step === 'empty')
                    this.onEmpty?.();
                wait = min;
            }
            this.#step();
            if (step === 'empty')
                return;
            if (step === 'stored')
                continue;
            // close() may have come while the insert was in flight, when there was no sleep yet for it to wake.
            if (this.#closed)
                return;
            await new Promise((resolve) => {
                const timer = setTimeout(resolve, wait);
                timer.unref();
                this.#wake = () => {
                    clearTimeout(timer);
                    resolve();
                };
            });
            this.#wake = undefined;
            wait = Math.min(max, wait * 2);
        }
    }
    /** A step that threw: an unreadable entry is set aside for an operator; any other error (the spool's disk) is retried. */
    async #recover(err) {
        try {
            if (!(err instanceof UnreadableSpoolEntryError))
                throw err;
            // Left in place it would stop the drainer on every start: set it aside for an operator.
            await this.#o.spool.bury(err.entry);
            this.#o.events?.buried?.(err.entry, err);
            return 'stored';
        }
        catch (failure) {
            this.#o.events?.storageError?.('spool', failure);
            return 'failed';
        }
    }
    /**
     * Inserts the oldest prepared batch; meanwhile prepares the one after it (reads its entries, writes its claim), so
     * that work overlaps the insert instead of following it on a busy event loop.
     */
    async #drainOnce() {
        const spool = this.#o.spool;
        // A directory that failed a write is probed before anything else is written to it (an empty spool too: its
        // readiness must come back without a request to test it).
        if (spool.health.state === 'failing' && !(await spool.probe()))
            return 'failed';
        if (this.#ready.length === 0) {
            const batch = await this.#prepare();
            if (batch === undefined)
                return 'empty';
            this.#ready.push(batch);
        }
        const head = this.#ready[0];
        let prefetchError;
        const prefetch = this.#ready.length < 2
            ? this.#prepare().then((next) => void (next && this.#ready.push(next)), (err) => void (prefetchError = err))
            : undefined;
        const started = performance.now();
        let failed = false;
        try {
            for (const [i, part] of head.parts.entries())
                await this.#o.inserter.insert(part, head.prepared[i]);
        }
        catch (err) {
            this.#o.events?.storageError?.('drain', err);
            if (this.#o.inserter.isTransient(err))
                this.#degraded = true;
            failed = true;
        }
        await prefetch;
        if (!failed) {
            this.#ready.shift();
            // A failure to settle leaves the claim pending: the next step inserts it again under its token, which stores nothing twice.
            if (head.claim !== undefined)
                await spool.settleClaim(head.claim);
            else
                await spool.remove(head.entries[0].name);
            this.#o.events?.flushed?.(head.rows, (performance.now() - started) / 1000, 'clickhouse');
            // An entry of the log is routine; one that waited out an outage or a crash is worth a line.
            for (const e of head.entries)
                if (!e.combinable)
                    this.#o.events?.drained?.(e.name);
        }
        if (prefetchError !== undefined)
            throw prefetchError;
        return failed ? 'failed' : 'stored';
    }
    /**
     * The next batch after those prepared: a claim a crash left (in order); else the oldest free entry, if combinable
     * together with the combinable entries after it up to maxBatchRows, under a new claim; else alone under its own
     * tokens. Undefined when nothing is left. Throws UnreadableSpoolEntryError for an entry that cannot be read.
     */
    async #prepare() {
        const spool = this.#o.spool;
        const left = spool.claims.find((c) => !this.#ready.some((b) => b.claim === c));
        if (left !== undefined) {
            const entries = await this.#readClaimed(left);
            return this.#batch(entries, combine(entries, left.token), left);
        }
        // Every pending claim is a prepared batch by now, so the prepared batches hold every taken entry.
        const taken = new Set(this.#ready.flatMap((b) => b.entries.map((e) => e.name)));
        const free = spool.names().filter((n) => !taken.has(n));
        if (free.length === 0)
            return undefined;
        const first = await spool.read(free[0]);
        if (!first.combinable)
            return this.#batch([first], [...first.parts]);
        const entries = [first];
        let rows = countRows(first);
        for (const name of free.slice(1)) {
            if (rows >= this.#o.maxBatchRows)
                break;
            let next;
            try {
                next = await spool.read(name);
            }
            catch {
                break; // buried when it comes first
            }
            if (!next.combinable)
                break;
            entries.push(next);
            rows += countRows(next);
        }
        // Even a lone entry of the log goes under a claim: inserted under its own tokens, a crash could leave it
        // to be combined with others at the next start, under another token, and stored twice.
        const claim = { token: randomUUID(), names: entries.map((e) => e.name) };
        await spool.writeClaim(claim);
        return this.#batch(entries, combine(entries, claim.token), claim, rows);
    }
    async #batch(entries, parts, claim, rows) {
        const prepared = [];
        for (const p of parts) {
            // A part that cannot be prepared goes as it is: the insert meets the same problem and isolates the rows at fault.
            prepared.push(await this.#o.inserter.prepare(p).catch(() => undefined));
        }
        return { entries, parts, prepared, rows: rows ?? entries.reduce((n, e) => n + countRows(e), 0), ...(claim ? { claim } : {}) };
    }
    /** The entries of a claim left by a crash; one that cannot be read any more is set aside, the rest keep the claim's token. */
    async #readClaimed(claim) {
        const out = [];
        for (const name of claim.names) {
            if (!this.#o.spool.has(name))
                continue;
            try {
                out.push(await this.#o.spool.read(name));
            }
            catch (err) {
                if (!(err instanceof UnreadableSpoolEntryError))
                    throw err;
                await this.#o.spool.bury(name);
                this.#o.events?.buried?.(name, err);
            }
        }
        return out;
    }
}
/** Rows of an entry: encoded rows are single JSON lines. */
function countRows(entry) {
    let rows = 0;
    for (const part of entry.parts) {
        rows++;
        for (let i = part.payload.indexOf('\n'); i !== -1; i = part.payload.indexOf('\n', i + 1))
            rows++;
    }
    return rows;
}
/** One part per table holding every entry's rows, in order, under the claim's token. */
function combine(entries, token) {
    return TABLES.flatMap((table) => {
        const payloads = entries.flatMap((e) => e.parts.filter((p) => p.table === table).map((p) => p.payload));
        return payloads.length === 0 ? [] : [{ table, token: `${token}:${table}`, payload: payloads.join('\n') }];
    });
}
//# sourceMappingURL=spool-drainer.js.map