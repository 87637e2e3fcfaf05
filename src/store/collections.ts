/**
 * lexi's collections (interactions, learner feedback, the training queue, progress snapshots, error
 * patterns, model metrics, exports) and their indexes, declared once and applied by both engines.
 */
import type { IndexSpec } from "./store.js";

export const COLLECTIONS = {
  interactions: "ai_interactions",
  feedback: "user_feedback",
  queue: "training_queue",
  progress: "user_progress",
  errorPatterns: "error_patterns",
  metrics: "model_metrics",
  exports: "exports",
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

export const DEFAULT_RETENTION_DAYS = 90;
export const RETENTION_INDEX = "retention_ttl";

/**
 * Interactions expire `retentionDays` after they were indexed, unless they became a training
 * example (`in_training_queue: true` takes them out of the partial TTL index).
 */
export function retentionIndex(retentionDays: number): IndexSpec | undefined {
  if (retentionDays <= 0) return undefined;
  return {
    name: RETENTION_INDEX,
    keys: { indexed_at: 1 },
    expireAfterSeconds: Math.round(retentionDays * 86_400),
    partialFilterExpression: { in_training_queue: false },
  };
}

/** The filter of documents the retention sweep deletes at `now`. */
export function expiredFilter(retentionDays: number, now: Date): Record<string, unknown> {
  return {
    in_training_queue: false,
    indexed_at: { $lt: new Date(now.getTime() - retentionDays * 86_400_000) },
  };
}

/**
 * Every index is one that a query needs and no other index serves: a compound index also serves
 * any prefix of its keys (MongoDB's rule, and SQLite's), so no single-field index repeats a
 * compound index's first key.
 */
export const INDEXES: Record<CollectionName, IndexSpec[]> = {
  ai_interactions: [
    { name: "session_id_1", keys: { session_id: 1 } },
    { name: "timestamp_1", keys: { timestamp: 1 } },
    { name: "user_id_1_timestamp_-1", keys: { user_id: 1, timestamp: -1 } },
    { name: "training_eligible_1", keys: { training_eligible: 1 } },
    { name: "quality_score_1", keys: { quality_score: 1 } },
    { name: "grammar_error_type_1", keys: { "analysis.grammar_errors.type": 1 } },
  ],
  user_feedback: [
    { name: "interaction_id_1_user_id_1", keys: { interaction_id: 1, user_id: 1 }, unique: true },
    { name: "rating_1", keys: { rating: 1 } },
    { name: "user_id_1_timestamp_-1", keys: { user_id: 1, timestamp: -1 } },
  ],
  training_queue: [
    { name: "source_interaction_id_1", keys: { source_interaction_id: 1 }, unique: true },
    { name: "validated_1", keys: { validated: 1 } },
    // The review order's keys, `_id` last as its tie-breaker, so the index serves the whole sort.
    { name: "status_1_quality_score_-1_created_at_1__id_1", keys: { status: 1, quality_score: -1, created_at: 1, _id: 1 } },
    { name: "quality_score_-1_validated_1", keys: { quality_score: -1, validated: 1 } },
    { name: "task_types_1_quality_score_-1", keys: { task_types: 1, quality_score: -1 } },
    // Export lineage: which examples an export marked (`exports` holds export ids).
    { name: "exports_1", keys: { exports: 1 } },
  ],
  user_progress: [
    { name: "user_id_1_snapshot_date_-1", keys: { user_id: 1, snapshot_date: -1 } },
    { name: "level_1", keys: { level: 1 } },
  ],
  error_patterns: [
    { name: "error_type_1_level_1", keys: { error_type: 1, level: 1 }, unique: true },
    { name: "frequency_-1", keys: { frequency: -1 } },
  ],
  model_metrics: [
    { name: "model_name_1_timestamp_-1", keys: { model_name: 1, timestamp: -1 } },
    { name: "version_1", keys: { version: 1 } },
  ],
  exports: [{ name: "created_at_-1", keys: { created_at: -1 } }],
};

/**
 * Indexes earlier versions created, dropped on open: those a compound index's prefix serves, and
 * the queue's review-order index from before it ended with `_id`.
 */
export const RETIRED_INDEXES: Partial<Record<CollectionName, string[]>> = {
  ai_interactions: ["user_id_1"],
  user_feedback: ["interaction_id_1", "user_id_1"],
  training_queue: ["task_types_1", "quality_score_1", "status_1_quality_score_-1_created_at_1"],
};

/** Every index of a collection, the retention index included when it applies. */
export function indexesFor(name: CollectionName, retentionDays: number): IndexSpec[] {
  const specs = [...INDEXES[name]];
  const retention = name === COLLECTIONS.interactions ? retentionIndex(retentionDays) : undefined;
  if (retention) specs.push(retention);
  return specs;
}
