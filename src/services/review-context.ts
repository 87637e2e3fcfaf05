/**
 * What a reviewer needs beside the example itself: what learners said about the answer, and which
 * other pending examples share its learner text (so one decision can cover them all).
 */
import type { FeedbackDoc } from "../schema/feedback.js";
import type { QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Store } from "../store/store.js";

export interface LearnerVerdict {
  rating: number;
  helpful?: boolean;
  accurate?: boolean;
  feedback_text?: string;
  reported_issues: string[];
}

/** The learners' verdicts on an example's interaction, worst first (they explain a flag). */
export async function learnerVerdicts(store: Store, item: QueueItemDoc, limit = 5): Promise<LearnerVerdict[]> {
  const docs = await store
    .collection<FeedbackDoc>(COLLECTIONS.feedback)
    .find({ interaction_id: item.source_interaction_id }, { sort: { rating: 1, _id: 1 }, limit })
    .toArray();
  return docs.map((doc) => ({
    rating: doc.rating,
    ...(doc.helpful === undefined ? {} : { helpful: doc.helpful }),
    ...(doc.accurate === undefined ? {} : { accurate: doc.accurate }),
    ...(doc.feedback_text ? { feedback_text: doc.feedback_text } : {}),
    reported_issues: doc.reported_issues ?? [],
  }));
}

/** Examples nobody holds, whose lease expired, or that `reviewer` holds already. */
export function claimableBy(reviewer: string, now: Date): { $or: Array<Record<string, unknown>> } {
  return { $or: [{ lease: null }, { "lease.until": { $lt: now } }, { "lease.by": reviewer }] };
}

/**
 * Other examples in the same review state with exactly the same learner text that `reviewer` has
 * not decided and nobody else holds right now.
 */
export async function pendingTwins(store: Store, item: QueueItemDoc, reviewer: string, now = new Date()): Promise<QueueItemDoc[]> {
  return store
    .collection<QueueItemDoc>(COLLECTIONS.queue)
    .find(
      {
        user_input: item.user_input,
        status: item.status,
        _id: { $ne: item._id },
        "history.by": { $ne: reviewer },
        ...claimableBy(reviewer, now),
      },
      { sort: { _id: 1 }, limit: 500 },
    )
    .toArray();
}
