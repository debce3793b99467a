import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveDocuments } from "./resolve.js";
import { splitYamlDocuments } from "./yaml-documents.js";
const YAML_FILE = /\.ya?ml$/i;
function documentIndex(error) {
    const match = /^documents\[(\d+)\]/.exec(error.path);
    return match === null ? -1 : Number(match[1]);
}
/**
 * Validates and resolves OpenSLO v1 YAML given as text; pure (no file access). Every problem is reported,
 * ordered by file (as given), document and line.
 */
export function parseSloSources(files, options = {}) {
    const documents = [];
    const errors = [];
    for (const { file, text } of files) {
        const split = splitYamlDocuments(file, text);
        documents.push(...split.documents);
        errors.push(...split.errors);
    }
    const resolved = resolveDocuments(documents, options);
    const fileOrder = new Map(files.map((f, i) => [f.file, i]));
    const seen = new Set();
    const all = [...errors, ...resolved.errors]
        .filter((e) => {
        const key = `${e.file}\0${e.path}\0${e.rule}\0${e.message}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    })
        .map((e, order) => ({ e, order }))
        .sort((a, b) => (fileOrder.get(a.e.file) ?? 0) - (fileOrder.get(b.e.file) ?? 0) ||
        documentIndex(a.e) - documentIndex(b.e) ||
        (a.e.line ?? 0) - (b.e.line ?? 0) ||
        a.order - b.order)
        .map(({ e }) => e);
    return all.length > 0 ? { ok: false, errors: all } : { ok: true, specs: resolved.specs };
}
async function listYamlFiles(dir, errors) {
    const files = [];
    const visit = async (path) => {
        let entries;
        try {
            entries = await readdir(path, { withFileTypes: true });
        }
        catch (err) {
            const code = err.code;
            const message = code === 'ENOTDIR' ? 'is not a directory' : code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.message})`;
            errors.push({ file: path, path: '', rule: 'unreadable', message });
            return;
        }
        // Sorted, so documents and errors come in the same order on every machine.
        for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
            if (entry.name.startsWith('.'))
                continue;
            const full = join(path, entry.name);
            if (entry.isDirectory())
                await visit(full);
            else if (YAML_FILE.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile() === true)))
                files.push(full);
        }
    };
    await visit(dir);
    return files;
}
/**
 * Reads every `*.yaml`/`*.yml` under `dir` (subdirectories too, hidden entries skipped), then validates and
 * resolves them as `parseSloSources` does. Files are named as `join(dir, relative path)`.
 */
export async function loadSloDirectory(dir, options = {}) {
    const readErrors = [];
    const paths = await listYamlFiles(dir, readErrors);
    const sources = [];
    for (const file of paths) {
        try {
            sources.push({ file, text: await readFile(file, 'utf8') });
        }
        catch (err) {
            readErrors.push({ file, path: '', rule: 'unreadable', message: `cannot be read (${err.message})` });
        }
    }
    const result = parseSloSources(sources, options);
    if (readErrors.length === 0)
        return result;
    return { ok: false, errors: [...readErrors, ...(result.ok ? [] : result.errors)] };
}
//# sourceMappingURL=load.js.map