import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { open, readFile, rename, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SpoolLock } from "./spool-lock.js";
/** The spool would grow past its bound: the caller must push back (429) rather than buffer more. */
export class SpoolFullError extends Error {
    name = 'SpoolFullError';
}
/** An entry on disk that cannot be parsed (corrupted or truncated outside our writes): it must be set aside, not retried. */
export class UnreadableSpoolEntryError extends Error {
    name = 'UnreadableSpoolEntryError';
    entry;
    constructor(entry, cause) {
        super(`spool entry ${entry} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        this.entry = entry;
    }
}
/**
 * A bounded, crash-safe on-disk queue. Each entry is one file written to a temporary name, fsynced, renamed
 * and the directory fsynced, so after `kill -9` an entry is either whole or absent. File layout: one JSON
 * header line listing parts with their byte lengths, then the payloads back to back.
 *
 * `inflight/` holds a copy of each batch while its direct insert runs. ClickHouse commits the raw part before
 * the materialized views' parts, so a crash between the two leaves raw rows without rollup rows; a copy left
 * in `inflight/` is moved into the queue at the next start and replayed with its tokens, which stores no raw
 * row twice and adds the missing view parts. These copies are not fsynced: they guard against a process crash
 * (the page cache survives `kill -9`), like the embedded engine's own writes.
 *
 * `claim-<first entry>.json` names the entries the drainer inserts as one batch, and the token it uses. It is
 * written before that insert and renamed to `claim-<first entry>.done` once the insert succeeded; entries are
 * removed only after the rename. So after a crash a claim's entries are all present and replay, in claim order,
 * under the same token, and a done claim's entries are deleted, not inserted again. Two claims may be pending: the
 * one being inserted and the next, prepared meanwhile.
 */
export class Spool {
    #dir;
    #deadDir;
    #maxBytes;
    #bytes = 0;
    #seq = 0;
    #files = new Map();
    /** Pending claims by file name: in name order, the order of their entries. */
    #claims = new Map();
    #lock;
    /** The last write that failed, until a write succeeds. */
    #failure;
    /** Files of settled claims whose removal failed (entries already out of the queue): removed again later. */
    #leftovers = new Set();
    /** Takes the directory's lock (SpoolLockedError while another live process holds it), then reads what is there. */
    constructor(options) {
        this.#dir = options.dir;
        this.#deadDir = join(options.dir, 'dead');
        this.#maxBytes = options.maxBytes;
        mkdirSync(this.#dir, { recursive: true });
        this.#lock = SpoolLock.acquire(this.#dir);
        for (const name of readdirSync(this.#dir).sort()) {
            const path = join(this.#dir, name);
            // A done claim's rows are stored: finish removing its entries before they are counted as live.
            if (/^claim-\d+\.done$/.test(name)) {
                for (const entry of readClaim(path).names)
                    rmSync(join(this.#dir, entry), { force: true });
                rmSync(path, { force: true });
            }
            else if (/^claim-\d+\.json$/.test(name))
                this.#claims.set(name, readClaim(path));
        }
        for (const name of readdirSync(this.#dir)) {
            const path = join(this.#dir, name);
            if (name.endsWith('.tmp'))
                rmSync(path, { force: true });
            else if (name.endsWith('.spool')) {
                const size = statSync(path).size;
                this.#files.set(name, size);
                this.#bytes += size;
                this.#seq = Math.max(this.#seq, Number.parseInt(name, 10) + 1);
            }
        }
        // Number past dead letters too: `bury` renames into dead/, and a reused name would overwrite one there.
        if (existsSync(this.#deadDir)) {
            for (const name of readdirSync(this.#deadDir)) {
                if (name.endsWith('.spool'))
                    this.#seq = Math.max(this.#seq, Number.parseInt(name, 10) + 1);
            }
        }
        // Batches whose direct insert was cut short by a crash: queue them for replay (past the bound: they were acknowledged or may have been).
        this.#inflightDir = join(options.dir, 'inflight');
        mkdirSync(this.#inflightDir, { recursive: true });
        for (const name of readdirSync(this.#inflightDir).sort()) {
            const path = join(this.#inflightDir, name);
            if (!name.endsWith('.spool')) {
                rmSync(path, { force: true });
                continue;
            }
            const target = `${String(this.#seq++).padStart(16, '0')}.spool`;
            renameSync(path, join(this.#dir, target));
            const size = statSync(join(this.#dir, target)).size;
            this.#files.set(target, size);
            this.#bytes += size;
        }
    }
    #inflightDir;
    /** Keeps a copy of a batch while its direct insert runs; returns the name to pass to `settleInflight`. */
    async writeInflight(parts) {
        const { buffers } = encodeEntry(parts);
        const name = `${String(this.#seq++).padStart(16, '0')}.spool`;
        const tmp = join(this.#inflightDir, `${name}.tmp`);
        await this.#track(async () => {
            try {
                const fh = await open(tmp, 'w');
                try {
                    await writeFully(fh, buffers);
                }
                finally {
                    await fh.close();
                }
                await rename(tmp, join(this.#inflightDir, name));
            }
            catch (err) {
                await rm(tmp, { force: true }).catch(() => undefined);
                throw err;
            }
        });
        return name;
    }
    /** Drops the copy once ClickHouse has stored the batch. */
    async settleInflight(name) {
        await rm(join(this.#inflightDir, name), { force: true });
    }
    /** Whether the last write to the directory succeeded. */
    get health() {
        return this.#failure === undefined ? { state: 'writable' } : { state: 'failing', error: this.#failure };
    }
    /** Writes and removes a small file durably: whether the directory takes writes again after a failure. */
    async probe() {
        try {
            await this.#writeDurably('probe', [Buffer.from(String(process.pid))]);
            await rm(join(this.#dir, 'probe'), { force: true });
            await this.#retryLeftovers();
            return true;
        }
        catch {
            return false;
        }
    }
    /** Gives up the directory's lock (graceful stop). */
    close() {
        this.#lock.release();
    }
    /** Runs a write, keeping its failure for `health` until a later write succeeds. */
    async #track(write) {
        try {
            const out = await write();
            this.#failure = undefined;
            return out;
        }
        catch (err) {
            const e = err;
            this.#failure = `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
            throw err;
        }
    }
    async #retryLeftovers() {
        for (const path of [...this.#leftovers]) {
            await rm(path, { force: true });
            this.#leftovers.delete(path);
        }
    }
    /** Bytes on disk in live entries. */
    get bytes() {
        return this.#bytes;
    }
    /** Live entries. */
    get entries() {
        return this.#files.size;
    }
    /** The configured bound, in bytes. */
    get maxBytes() {
        return this.#maxBytes;
    }
    /** True when no further entry of `bytes` would fit. */
    wouldOverflow(bytes) {
        return this.#bytes + bytes > this.#maxBytes;
    }
    /**
     * Writes an entry durably; resolves once it would survive a crash. Throws SpoolFullError past the bound.
     * `combinable`: see SpoolEntry (true for entries of the log, false for batches whose insert failed).
     */
    async append(parts, options = {}) {
        const { buffers, size } = encodeEntry(parts, options.combinable === true);
        if (this.wouldOverflow(size))
            throw new SpoolFullError(`spool full: ${this.#bytes} of ${this.#maxBytes} bytes used`);
        const name = `${String(this.#seq++).padStart(16, '0')}.spool`;
        // Reserve before awaiting so concurrent appends cannot together overshoot the bound.
        this.#bytes += size;
        try {
            await this.#writeDurably(name, buffers);
            this.#files.set(name, size);
        }
        catch (err) {
            this.#bytes -= size;
            throw err;
        }
    }
    /** Names of the live entries, oldest first. */
    names() {
        return [...this.#files.keys()].sort();
    }
    /** The oldest entry, or undefined when the spool is empty. Throws UnreadableSpoolEntryError for a corrupted entry. */
    async oldest() {
        const name = this.names()[0];
        return name === undefined ? undefined : this.read(name);
    }
    /** One live entry. Throws UnreadableSpoolEntryError for a corrupted entry. */
    async read(name) {
        const buf = await readFile(join(this.#dir, name));
        try {
            return { name, ...parseEntry(buf) };
        }
        catch (err) {
            throw new UnreadableSpoolEntryError(name, err);
        }
    }
    /** Pending claims, oldest first: those a crash left, then those written since. */
    get claims() {
        return [...this.#claims.keys()].sort().map((file) => this.#claims.get(file));
    }
    /** True while the entry is live (not removed or buried). */
    has(name) {
        return this.#files.has(name);
    }
    /** Records, durably, which entries an insert takes and under which token. */
    async writeClaim(claim) {
        const file = claimFile(claim);
        await this.#writeDurably(file, [Buffer.from(JSON.stringify(claim))]);
        this.#claims.set(file, claim);
    }
    /** The claim's insert succeeded: marks it done (one atomic rename), then removes its entries and the claim. */
    async settleClaim(claim) {
        const file = claimFile(claim);
        const done = file.replace(/\.json$/, '.done');
        // Until the rename the claim is pending, and a failure here leaves it to be inserted again under its token.
        await this.#track(() => rename(join(this.#dir, file), join(this.#dir, done)));
        // From here the rows are stored: the entries leave the queue at once, whether or not their files can be
        // removed now (left in the queue, they would be taken again under a new claim and stored twice). Files that
        // cannot be removed yet are retried later; the .done file finishes the job at the next start.
        this.#claims.delete(file);
        const removeOrRemember = async (path) => {
            try {
                await rm(path, { force: true });
            }
            catch {
                this.#leftovers.add(path);
            }
        };
        await Promise.all(claim.names.map(async (name) => {
            const size = this.#files.get(name);
            if (size === undefined)
                return;
            await removeOrRemember(join(this.#dir, name));
            this.#files.delete(name);
            this.#bytes -= size;
        }));
        await removeOrRemember(join(this.#dir, done));
    }
    /** Deletes an entry once its rows are stored. */
    async remove(name) {
        const size = this.#files.get(name);
        if (size === undefined)
            return;
        await this.#track(() => rm(join(this.#dir, name), { force: true }));
        this.#files.delete(name);
        this.#bytes -= size;
    }
    /** Keeps rows ClickHouse refused outright in `dead/`, out of every queue but on disk for an operator. */
    async buryRows(parts) {
        const { buffers } = encodeEntry(parts);
        await this.#track(() => mkdir(this.#deadDir, { recursive: true }));
        const name = `${String(this.#seq++).padStart(16, '0')}.spool`;
        const path = join(this.#deadDir, name);
        await this.#track(async () => {
            try {
                const fh = await open(path, 'w');
                try {
                    await writeFully(fh, buffers);
                    await fh.sync();
                }
                finally {
                    await fh.close();
                }
            }
            catch (err) {
                await rm(path, { force: true }).catch(() => undefined);
                throw err;
            }
        });
        return name;
    }
    /** Moves an unreadable entry to `dead/`, out of the queue but kept for an operator. */
    async bury(name) {
        const size = this.#files.get(name);
        if (size === undefined)
            return;
        await this.#track(async () => {
            await mkdir(this.#deadDir, { recursive: true });
            await rename(join(this.#dir, name), join(this.#deadDir, name));
        });
        this.#files.delete(name);
        this.#bytes -= size;
    }
    /** Writes a file whole or not at all, and durably: a temporary name, fsync, rename, fsync of the directory. */
    async #writeDurably(name, buffers) {
        const tmp = join(this.#dir, `${name}.tmp`);
        await this.#track(async () => {
            try {
                const fh = await open(tmp, 'w');
                try {
                    await writeFully(fh, buffers);
                    await fh.sync();
                }
                finally {
                    await fh.close();
                }
                await rename(tmp, join(this.#dir, name));
            }
            catch (err) {
                // A partial file must not stay behind: it holds disk space the next attempt needs.
                await rm(tmp, { force: true }).catch(() => undefined);
                throw err;
            }
            try {
                await this.#syncDir();
            }
            catch (err) {
                // Not known to be durable, so not acknowledged: take it back rather than leave an entry nobody counts.
                await rm(join(this.#dir, name), { force: true }).catch(() => undefined);
                throw err;
            }
        });
    }
    async #syncDir() {
        const fh = await open(this.#dir, 'r');
        try {
            await fh.sync();
        }
        finally {
            await fh.close();
        }
    }
}
/**
 * Writes every byte or throws. `writev` may write less than asked (a filesystem that fills up mid-write writes
 * what fits and returns its count; the next call gets ENOSPC), so it is called again on what is left.
 */
export async function writeFully(fh, buffers) {
    let left = buffers.filter((b) => b.length > 0);
    while (left.length > 0) {
        const { bytesWritten } = await fh.writev(left);
        if (bytesWritten <= 0)
            throw Object.assign(new Error('write made no progress (0 bytes written)'), { code: 'EIO' });
        let skip = bytesWritten;
        const rest = [];
        for (const b of left) {
            if (skip >= b.length)
                skip -= b.length;
            else {
                rest.push(skip > 0 ? b.subarray(skip) : b);
                skip = 0;
            }
        }
        left = rest;
    }
}
/** A claim's file: named after its first entry, so claims sort in the order of their entries. */
function claimFile(claim) {
    return `claim-${claim.names[0].replace(/\.spool$/, '')}.json`;
}
const claimSchema = z.object({ token: z.string().min(1), names: z.array(z.string().regex(/^\d+\.spool$/)).min(1) });
function readClaim(path) {
    return claimSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
function encodeEntry(parts, combinable = false) {
    const payloads = parts.map((p) => Buffer.from(p.payload));
    const listed = parts.map((p, i) => ({ table: p.table, token: p.token, bytes: payloads[i].length }));
    const header = Buffer.from(`${JSON.stringify({ v: 1, ...(combinable ? { combinable } : {}), parts: listed })}\n`);
    return { buffers: [header, ...payloads], size: header.length + payloads.reduce((n, b) => n + b.length, 0) };
}
function parseEntry(buf) {
    const nl = buf.indexOf(10);
    const header = JSON.parse(buf.subarray(0, nl).toString('utf8'));
    let offset = nl + 1;
    const parts = header.parts.map((p) => {
        const payload = buf.subarray(offset, offset + p.bytes).toString('utf8');
        offset += p.bytes;
        return { table: p.table, token: p.token, payload };
    });
    // `append` writes exactly the header and the payloads it lists; anything else is not one of our entries.
    if (nl < 0 || offset !== buf.length)
        throw new Error(`expected ${offset} bytes, found ${buf.length}`);
    return { parts, combinable: header.combinable === true };
}
/** Synchronous read of every entry, for tests and tools. */
export function readSpoolDir(dir) {
    return readdirSync(dir)
        .filter((n) => n.endsWith('.spool'))
        .sort()
        .map((n) => parseEntry(readFileSync(join(dir, n))).parts);
}
//# sourceMappingURL=spool.js.map