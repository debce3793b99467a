import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const DIR = fileURLToPath(new URL('../test/fixtures/onnx/', import.meta.url));
/** The manifest entry of a fixture model. */
export function fixtureManifest(name) {
    const manifest = JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8'));
    const entry = manifest.models.find((m) => m.file === `${name}.onnx`);
    if (!entry)
        throw new Error(`test/fixtures/onnx/manifest.json has no ${name}.onnx; run /usr/bin/python3 scripts/fixtures/onnx_models.py`);
    return { signature: entry.signature, cases: entry.cases, path: `${DIR}${name}.onnx` };
}
/** A fixture as a loadable version of `model`. */
export function fixtureVersion(name, model, version, extra = {}) {
    const m = fixtureManifest(name);
    return { model, version, onnx: new Uint8Array(readFileSync(m.path)), signature: m.signature, ...extra };
}
//# sourceMappingURL=fixtures.js.map