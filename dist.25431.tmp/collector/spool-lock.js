import { readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
/** Another live process holds the spool directory: two writers in one spool would take each other's entries. */
export class SpoolLockedError extends Error {
    name = 'SpoolLockedError';
}
/**
 * An exclusive lock of a spool directory for the life of this process: a `LOCK` symbolic link whose target names
 * its owner (`<pid>:<start ticks>`). Creating a link is atomic and fails when it exists, like O_EXCL, and a short
 * link needs no data block, so the lock is taken on a full disk too (a file would be created and then fail its
 * write, leaving an empty lock). Node has no flock without native code, so a lock left by a dead process
 * (kill -9) is detected by its pid and start time and taken over. The lock is per process: a new Spool in the process that already owns
 * the directory (a restart within one process, as the tests do) takes it again.
 */
export class SpoolLock {
    #path;
    #held = true;
    constructor(path) {
        this.#path = path;
    }
    /** Takes the lock of `dir`, or throws SpoolLockedError naming the live owner. */
    static acquire(dir) {
        const path = join(dir, 'LOCK');
        const me = ownerOf(process.pid);
        for (let attempt = 0; attempt < 3; attempt++) {
            try {
                symlinkSync(`${me.pid}:${me.startTicks ?? ''}`, path);
                return new SpoolLock(path);
            }
            catch (err) {
                if (err.code !== 'EEXIST')
                    throw err;
            }
            const owner = readOwner(path);
            if (owner !== undefined && sameProcess(owner, me))
                return new SpoolLock(path);
            if (owner !== undefined && isAlive(owner)) {
                throw new SpoolLockedError(`spool directory ${dir} is in use by process ${owner.pid}: two collectors must not share ingest.spoolDir (each would insert and delete the other's entries). Give each its own spoolDir, or stop process ${owner.pid}.`);
            }
            // Stale (its process is gone) or unreadable (cut short by a crash between create and write): set it aside
            // with a rename, which only one contender can win, then create ours.
            try {
                renameSync(path, `${path}.stale-${process.pid}`);
                rmSync(`${path}.stale-${process.pid}`, { force: true });
            }
            catch (err) {
                if (err.code !== 'ENOENT')
                    throw err;
            }
        }
        throw new SpoolLockedError(`spool directory ${dir}: could not take ${path}, another process keeps taking it`);
    }
    /** Gives the directory up (graceful stop); a crash leaves a stale lock the next start takes over. */
    release() {
        if (!this.#held)
            return;
        this.#held = false;
        const owner = readOwner(this.#path);
        if (owner !== undefined && owner.pid === process.pid)
            rmSync(this.#path, { force: true });
    }
}
/** The owner a lock names; undefined when it names none (not one of our locks). */
export function readOwner(path) {
    let target;
    try {
        target = readlinkSync(path);
    }
    catch {
        return undefined;
    }
    const m = /^(\d+):(-?\d*)$/.exec(target);
    if (!m)
        return undefined;
    const pid = Number(m[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0)
        return undefined;
    return { pid, ...(m[2] !== '' ? { startTicks: Number(m[2]) } : {}) };
}
function ownerOf(pid) {
    const startTicks = startTicksOf(pid);
    return { pid, ...(startTicks !== undefined ? { startTicks } : {}) };
}
function sameProcess(a, b) {
    return a.pid === b.pid && (a.startTicks === undefined || b.startTicks === undefined || a.startTicks === b.startTicks);
}
function isAlive(owner) {
    try {
        process.kill(owner.pid, 0);
    }
    catch (err) {
        if (err.code !== 'EPERM')
            return false;
    }
    // A pid can be reused (a container restarted gets the same pid): alive only if it is the same process.
    const now = startTicksOf(owner.pid);
    return owner.startTicks === undefined || now === undefined || now === owner.startTicks;
}
/** Field 22 of /proc/<pid>/stat; undefined where there is no /proc. The command (field 2) may hold spaces and parentheses. */
function startTicksOf(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[19]);
        return Number.isFinite(ticks) ? ticks : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=spool-lock.js.map