import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
/** An artifact whose bytes no longer hash to the name they were stored under. */
export class ArtifactCorruptError extends Error {
    name = 'ArtifactCorruptError';
    sha256;
    actual;
    constructor(sha256, actual, path) {
        super(`artifact ${path} is corrupt: its bytes hash to sha256 ${actual}, not the ${sha256} it was stored as; re-register the version or restore the file from a backup`);
        this.sha256 = sha256;
        this.actual = actual;
    }
}
/** An artifact that is not on disk. */
export class ArtifactMissingError extends Error {
    name = 'ArtifactMissingError';
}
/** sha256 hex of bytes. */
export function sha256Hex(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
}
const SHA = /^[0-9a-f]{64}$/;
/** Opens (creating when missing) an artifact directory. */
export function createArtifactStore(dir) {
    const root = resolve(dir);
    const pathOf = (sha256) => {
        if (!SHA.test(sha256))
            throw new Error(`not a sha256 hex digest: ${JSON.stringify(sha256.slice(0, 80))}`);
        // Two-character fan-out keeps directories small, as git's object store does.
        return join(root, 'sha256', sha256.slice(0, 2), sha256);
    };
    const get = async (sha256) => {
        const path = pathOf(sha256);
        let bytes;
        try {
            bytes = await readFile(path);
        }
        catch (err) {
            if (err.code === 'ENOENT')
                throw new ArtifactMissingError(`artifact ${path} is missing (sha256 ${sha256})`);
            throw err;
        }
        const actual = sha256Hex(bytes);
        if (actual !== sha256)
            throw new ArtifactCorruptError(sha256, actual, path);
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    };
    return {
        dir: root,
        pathOf,
        get,
        async put(bytes) {
            const sha256 = sha256Hex(bytes);
            const path = pathOf(sha256);
            try {
                await stat(path);
                await get(sha256);
                return { sha256, bytes: bytes.byteLength };
            }
            catch (err) {
                // Missing or corrupt: (re)write it below.
                if (!(err instanceof ArtifactMissingError || err instanceof ArtifactCorruptError || err.code === 'ENOENT'))
                    throw err;
            }
            await mkdir(dirname(path), { recursive: true });
            // tmp + fsync + rename + fsync(dir): after a crash the name holds either nothing or every byte.
            const tmp = `${path}.tmp-${randomUUID()}`;
            const file = await open(tmp, 'wx');
            try {
                await file.writeFile(bytes);
                await file.sync();
            }
            finally {
                await file.close();
            }
            try {
                await rename(tmp, path);
            }
            catch (err) {
                await rm(tmp, { force: true });
                throw err;
            }
            const d = await open(dirname(path), 'r');
            try {
                await d.sync();
            }
            finally {
                await d.close();
            }
            return { sha256, bytes: bytes.byteLength };
        },
    };
}
//# sourceMappingURL=artifact-store.js.map