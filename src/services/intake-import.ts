/**
 * Bulk imports of each kind of record (JSONL/NDJSON or a JSON array, file or stdin); each kind's
 * importer is in import/importers/.
 */
export { importInteractions } from "./import/importers/interactions.js";
export { importFeedback } from "./import/importers/feedback.js";
export { importProgress } from "./import/importers/progress.js";
export { importMetrics } from "./import/importers/metrics.js";
export type { KindImportOptions, KindImportSummary, UnknownFieldReport } from "./import/importers/record-check.js";
