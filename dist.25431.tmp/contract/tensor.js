/*
 * Tensors and records as plain data, independent of onnxruntime: what the graph feeds are built as (training and
 * serving alike) and what results are read from. Keeping ORT types out keeps the engine swappable.
 */
export {};
//# sourceMappingURL=tensor.js.map