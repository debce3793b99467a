export { createCollector } from "./app.js";
export { DurableWriter, OverloadedError } from "./durable-writer.js";
export { Spool, SpoolFullError, readSpoolDir } from "./spool.js";
export { SpoolLockedError } from "./spool-lock.js";
export { createRecordValidator } from "./record-validator.js";
export { featureSchema } from "./record-schema.js";
export { ingestRecords } from "./ingest.js";
//# sourceMappingURL=index.js.map