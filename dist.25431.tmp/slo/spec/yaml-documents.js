import { isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { formatPath } from "./issues.js";
/**
 * Splits a YAML file into OpenSLO objects: `---`-separated documents, and the items of a document that is
 * a list (as `kubectl` and Sloth accept). Empty documents are skipped; a document with a syntax error is
 * reported with its line and not read further.
 */
export function splitYamlDocuments(file, text) {
    const lineCounter = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
    const yamlDocs = Array.isArray(parsed) ? parsed : [];
    const documents = [];
    const errors = [];
    const lineOf = (offset) => lineCounter.linePos(offset).line;
    for (const doc of yamlDocs) {
        const error = doc.errors[0];
        if (error !== undefined) {
            // Only the first: later errors of a broken document are mostly the same mistake seen again.
            const { line, col } = lineCounter.linePos(error.pos[0]);
            const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
            errors.push({ file, path: formatPath(['documents', documents.length]), rule: 'yaml_syntax', message: `is not valid YAML at line ${line}, column ${col}: ${reason}`, line });
            // Keep the numbering of later documents stable: the broken one takes one index.
            documents.push({ file, index: documents.length, value: undefined, lineAt: () => undefined });
            continue;
        }
        const lineAt = (prefix) => (path) => {
            for (let depth = path.length; depth >= 0; depth--) {
                const node = doc.getIn([...prefix, ...path.slice(0, depth)], true);
                const range = node?.range;
                if (range !== undefined)
                    return lineOf(range[0]);
            }
            return undefined;
        };
        let value;
        try {
            // Bounds alias expansion ("billion laughs"); yaml's own default is the same 100.
            value = doc.toJS({ maxAliasCount: 100 });
        }
        catch (err) {
            const line = doc.contents?.range === undefined ? undefined : lineOf(doc.contents.range[0]);
            errors.push({ file, path: formatPath(['documents', documents.length]), rule: 'yaml_syntax', message: `cannot be read as YAML: ${err.message}`, ...(line === undefined ? {} : { line }) });
            documents.push({ file, index: documents.length, value: undefined, lineAt: () => undefined });
            continue;
        }
        if (isSeq(doc.contents) && Array.isArray(value)) {
            for (const [i, item] of value.entries())
                documents.push({ file, index: documents.length, value: item, lineAt: lineAt([i]) });
            continue;
        }
        if (value === null || value === undefined)
            continue;
        documents.push({ file, index: documents.length, value, lineAt: lineAt([]) });
    }
    // Broken documents were placeholders for numbering only.
    return { documents: documents.filter((d) => d.value !== undefined), errors };
}
//# sourceMappingURL=yaml-documents.js.map