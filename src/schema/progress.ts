/**
 * user_progress: periodic learner snapshots.
 */
import type { ObjectId } from "bson";
import * as z from "zod";
import { CefrLevel, IdString, Score01, Timestamp, WordName } from "./common.js";

export const TRENDS = ["improving", "stable", "declining"] as const;
export type Trend = (typeof TRENDS)[number];

export const ProgressInput = z.object({
  user_id: IdString,
  snapshot_date: Timestamp.optional(),
  level: CefrLevel,
  fluency_score_avg: Score01,
  grammar_accuracy: Score01,
  vocabulary_count: z.number().int().nonnegative(),
  pronunciation_score_avg: Score01.optional(),
  total_interactions: z.number().int().nonnegative().default(0),
  study_streak_days: z.number().int().nonnegative().default(0),
  common_errors: z.array(z.object({ type: WordName, count: z.number().int().nonnegative() })).default([]),
});
export type ProgressInput = z.input<typeof ProgressInput>;

/** Which snapshots `progressHistory` reads: a learner's, of the last `days` days. */
export const ProgressHistoryInput = z.object({
  user_id: IdString,
  // Up to about 270 years: a window that reaches every snapshot.
  days: z.number().int().min(1).max(100_000).default(30),
});
export type ProgressHistoryInput = z.input<typeof ProgressHistoryInput>;
export type ValidProgress = z.output<typeof ProgressInput>;

export interface ProgressDoc extends Omit<ValidProgress, "snapshot_date"> {
  [key: string]: unknown;
  _id: ObjectId;
  snapshot_date: Date;
  improvement_trend: Trend;
}
