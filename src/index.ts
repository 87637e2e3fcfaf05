/**
 * lexi as a library: open a store, then call the services. The CLI and the HTTP server are thin
 * skins over these same functions.
 *
 * @example
 * import { openStore, logInteraction, submitFeedback } from "lexi";
 * const store = await openStore(".lexi/lexi.db");
 * const { interaction_id } = await logInteraction(store, interaction);
 * await submitFeedback(store, { interaction_id, user_id: "u1", rating: 5, helpful: true, accurate: true });
 * await store.close();
 *
 * The HTTP server lives on its own import path (`lexi/server`), so the library never loads fastify.
 */
export { openStore, ensureCollections, type OpenStoreOptions } from "./store/open-store.js";
export { parseLocation, maskSecrets, DEFAULT_DB_PATH } from "./store/location.js";
export { COLLECTIONS, INDEXES, DEFAULT_RETENTION_DAYS, type CollectionName } from "./store/collections.js";
export type * from "./store/store.js";
export * from "./errors.js";

export { logInteraction, writeInteractionBatch, getInteraction, listInteractions, countInteractions, buildInteractionDoc, ListInteractionsInput, MAX_PAGE } from "./services/interactions.js";
export type { LoggedInteraction, IntakeOptions, BatchResult } from "./services/interactions.js";
export { submitFeedback, feedbackStats, type FeedbackResult, type FeedbackStats } from "./services/feedback.js";
export { importInteractions, importFeedback, importProgress, importMetrics, type KindImportOptions, type KindImportSummary, type UnknownFieldReport } from "./services/intake-import.js";
export type { ImportOptions, ImportSource, ImportSummary } from "./services/import/import-records.js";
export { saveSnapshot, progressHistory, type SavedSnapshot } from "./services/progress.js";
export { logMetrics, metricsHistory, compareVersions, type VersionComparison } from "./services/metrics.js";
export { analytics } from "./services/analytics.js";
export { detectPatterns, userPatterns, type UserErrorType } from "./services/patterns.js";
export { compareMetrics, parseThreshold, type Threshold, type MetricComparison } from "./domain/regression.js";
export { seedDemoData, type SeedResult } from "./services/seed.js";
export { addToQueue, listQueue, getQueueItem, validateExample, retractDecision, reviewConflicts, type ValidationResult, type Disagreement } from "./services/queue.js";
export { ReviewSession, type ReviewCounts } from "./services/review.js";
export { exportDataset, type ExportResult, type ExportTarget, type ExportOptions } from "./services/export/export-dataset.js";
export { verifyExport, type Verification } from "./services/export/verify-export.js";
export { listExports, getExport } from "./services/exports.js";

export { qualityScore, flagReasons, isFlagging, type Verdict } from "./domain/quality.js";
export { evaluateAutoQueue, DEFAULT_AUTO_QUEUE, type AutoQueueThresholds, type AutoQueueDecision } from "./domain/auto-queue.js";
export { improvementTrend } from "./domain/trend.js";
export { generateDemoData } from "./domain/demo-data.js";

export * from "./schema/common.js";
export * from "./schema/interaction.js";
export * from "./schema/feedback.js";
export * from "./schema/queue.js";
export * from "./schema/progress.js";
export * from "./schema/metrics.js";
export * from "./schema/export.js";
export * from "./schema/analytics.js";
export * from "./schema/patterns.js";
