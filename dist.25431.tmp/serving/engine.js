import * as ort from 'onnxruntime-node';
const ELEMENT_TYPES = new Set(['float64', 'float32', 'int64', 'int32', 'bool', 'string']);
function metaOf(m) {
    if (!m.isTensor)
        throw new Error(`graph value "${m.name}" is not a tensor; Highway graphs take and return tensors only`);
    if (!ELEMENT_TYPES.has(m.type))
        throw new Error(`graph value "${m.name}" has element type ${m.type}; supported: ${[...ELEMENT_TYPES].join(', ')}`);
    return { name: m.name, type: m.type, shape: m.shape.map((d) => (typeof d === 'number' ? d : null)) };
}
function toOrt(t) {
    return new ort.Tensor(t.type, t.data, t.dims);
}
function fromOrt(t) {
    return { type: t.type, dims: [...t.dims], data: t.data };
}
/**
 * onnxruntime-node in the calling thread. `session.run` is synchronous native work behind a setImmediate, so it
 * blocks the event loop for the model's run time; the serving benchmark measured this against a worker pool at
 * the target load (bench/RESULTS.md, "serving") and in-thread won for Highway's small tabular graphs.
 */
export function createInThreadEngine(options = {}) {
    const sessionOptions = {
        // One thread per run: single-row requests gain nothing from intra-op parallelism and would fight the HTTP thread.
        intraOpNumThreads: options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        // Errors reach callers as rejected promises and are logged by the server; ORT's own stderr lines would duplicate them.
        logSeverityLevel: 4,
    };
    return {
        async open(onnx) {
            const session = await ort.InferenceSession.create(onnx, sessionOptions);
            const inputs = session.inputMetadata.map(metaOf);
            const outputs = session.outputMetadata.map(metaOf);
            return {
                inputs,
                outputs,
                async run(feeds, outputNames) {
                    const ortFeeds = {};
                    for (const [name, t] of Object.entries(feeds))
                        ortFeeds[name] = toOrt(t);
                    const result = outputNames ? await session.run(ortFeeds, [...outputNames]) : await session.run(ortFeeds);
                    const out = {};
                    for (const [name, t] of Object.entries(result))
                        out[name] = fromOrt(t);
                    return out;
                },
                release: () => session.release(),
            };
        },
    };
}
//# sourceMappingURL=engine.js.map