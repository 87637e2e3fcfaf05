/**
 * The paths the services' hot pipelines read, beyond the indexed ones: they become columns of
 * the embedded engine's tables (see columns.ts), so analytics, pattern detection, queue listings
 * and flags read them without parsing documents. Index keys become columns by themselves.
 */
import { COLLECTIONS } from "../collections.js";

export const HOT_PATHS: Record<string, string[]> = {
  [COLLECTIONS.interactions]: [
    "timestamp",
    "user_id",
    "session_id",
    "analysis.fluency_score",
    "analysis.vocabulary_level",
    "analysis.grammar_errors",
    "quality_indicators.error_count",
    "quality_score",
    "flagged_for_review",
    "in_training_queue",
    "training_eligible",
    "training_validated",
    "indexed_at",
    // Engagement counts the interactions that have feedback.
    "user_feedback",
  ],
  [COLLECTIONS.queue]: ["status", "quality_score", "created_at", "validated", "source_interaction_id", "task_types"],
  [COLLECTIONS.feedback]: ["interaction_id", "user_id", "rating", "timestamp"],
};

export function hotPathsOf(collection: string): string[] {
  return HOT_PATHS[collection] ?? [];
}
