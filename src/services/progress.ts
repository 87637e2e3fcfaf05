/**
 * Progress snapshots of learners, with the improvement trend computed as they are saved.
 */
import { ObjectId } from "bson";
import { improvementTrend } from "../domain/trend.js";
import { idText } from "../schema/common.js";
import { ProgressHistoryInput, ProgressInput, type ProgressDoc } from "../schema/progress.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Store } from "../store/store.js";
import { parseInput } from "./validate.js";

export interface SavedSnapshot {
  snapshot_id: string;
  improvement_trend: ProgressDoc["improvement_trend"];
  snapshot_date: Date;
}

/**
 * Saves a snapshot; its own date is kept when given, and the trend counts it.
 *
 * @example
 * await saveSnapshot(store, { user_id: "u1", level: "B1", fluency_score_avg: 0.7, grammar_accuracy: 0.8, vocabulary_count: 900 });
 */
export async function saveSnapshot(store: Store, raw: ProgressInput, now = new Date(), id = new ObjectId()): Promise<SavedSnapshot> {
  const input = parseInput(ProgressInput, raw, "progress snapshot");
  const snapshotDate = input.snapshot_date ?? now;
  return store.transaction(async (session) => {
    const progress = session.collection<ProgressDoc>(COLLECTIONS.progress);
    // The two snapshots before this one; _id decides between snapshots of the same instant.
    const earlier = await progress
      .find({ user_id: input.user_id, snapshot_date: { $lt: snapshotDate } }, { sort: { snapshot_date: -1, _id: -1 }, limit: 2, projection: { fluency_score_avg: 1 } })
      .toArray();
    const trend = improvementTrend(earlier.reverse().map((s) => s.fluency_score_avg), input.fluency_score_avg);
    const doc: ProgressDoc = { _id: id, ...input, snapshot_date: snapshotDate, improvement_trend: trend };
    await progress.insertOne(doc);
    return { snapshot_id: idText(doc._id), improvement_trend: trend, snapshot_date: snapshotDate };
  });
}

/** A learner's snapshots of the last `days` days, oldest first. */
export async function progressHistory(store: Store, raw: ProgressHistoryInput, now = new Date()): Promise<ProgressDoc[]> {
  const { user_id, days } = parseInput(ProgressHistoryInput, raw, "progress history query");
  return store
    .collection<ProgressDoc>(COLLECTIONS.progress)
    .find({ user_id, snapshot_date: { $gte: new Date(now.getTime() - days * 86_400_000) } }, { sort: { snapshot_date: 1, _id: 1 } })
    .toArray();
}
