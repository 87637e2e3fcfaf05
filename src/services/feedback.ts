/**
 * Learner feedback: one verdict per (interaction, learner), which scores and may flag the
 * interaction and its training example.
 */
import { FLAGGING_RATING, isFlagging, qualityScore } from "../domain/quality.js";
import { initial, onFeedback } from "../domain/review-state.js";
import { round4 } from "../domain/round.js";
import { idText } from "../schema/common.js";
import { FeedbackInput, FeedbackStatsInput, type FeedbackDoc, type FeedbackStatsInput as StatsInput } from "../schema/feedback.js";
import type { FeedbackSummary, InteractionDoc } from "../schema/interaction.js";
import type { QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Store, StoreSession } from "../store/store.js";
import { applyReview } from "./apply-review.js";
import { getInteraction } from "./interactions.js";
import { parseInput } from "./validate.js";

export interface FeedbackResult {
  feedback_id: string;
  interaction_id: string;
  quality_score: number;
  flagged: boolean;
  flag_reasons: string[];
  replaced: boolean;
}

/**
 * Records a learner's feedback; a second submission by the same learner replaces the first.
 *
 * @example
 * await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 5, helpful: true, accurate: true });
 */
export async function submitFeedback(store: Store, raw: FeedbackInput, now = new Date()): Promise<FeedbackResult> {
  const input = parseInput(FeedbackInput, raw, "feedback");
  return store.transaction(async (session) => {
    const interaction = await getInteraction(session, input.interaction_id, { _id: 1 });
    const feedback = session.collection<FeedbackDoc>(COLLECTIONS.feedback);
    const { interaction_id: _ignored, user_id, timestamp, ...verdict } = input;
    const key = { interaction_id: interaction._id, user_id };
    const { matchedCount } = await feedback.updateOne(key, verdictUpdate(verdict, key, timestamp ?? now, now), { upsert: true });
    const verdicts = await feedback.find({ interaction_id: interaction._id }).toArray();
    const stored = verdicts.find((v) => v.user_id === user_id)!;
    const outcome = await rescore(session, interaction, verdicts, now);
    return {
      feedback_id: idText(stored._id),
      interaction_id: idText(interaction._id),
      quality_score: outcome.quality,
      flagged: outcome.flagged,
      flag_reasons: outcome.reasons,
      replaced: matchedCount > 0,
    };
  });
}

const OPTIONAL_FIELDS = ["helpful", "accurate", "feedback_text"] as const;

/** Sets what the learner answered; a replaced verdict drops answers left out this time. */
function verdictUpdate(verdict: Record<string, unknown>, key: Record<string, unknown>, timestamp: Date, now: Date): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(verdict).filter(([, value]) => value !== undefined));
  const missing = OPTIONAL_FIELDS.filter((field) => verdict[field] === undefined);
  return {
    $set: { ...given, timestamp, updated_at: now },
    ...(missing.length ? { $unset: Object.fromEntries(missing.map((field) => [field, ""])) } : {}),
    $setOnInsert: key,
  };
}

/**
 * Recomputes an interaction from all of its feedback: the mean quality score, the reported issues,
 * and its review flags, which its training example (if any) follows in the same write.
 */
async function rescore(session: StoreSession, interaction: Pick<InteractionDoc, "_id">, verdicts: FeedbackDoc[], now: Date): Promise<{ quality: number; flagged: boolean; reasons: string[] }> {
  const quality = round4(verdicts.reduce((sum, v) => sum + qualityScore(v), 0) / verdicts.length);
  const latest = verdicts.reduce((a, b) => (a.updated_at >= b.updated_at ? a : b));
  const item = await session.collection<QueueItemDoc>(COLLECTIONS.queue).findOne({ source_interaction_id: interaction._id });
  const transition = item ? onFeedback(item, verdicts, now) : initial(verdicts, now);
  await applyReview(session, { interactionId: interaction._id, itemId: item?._id ?? null }, transition, {
    item: { quality_score: quality },
    interaction: { quality_score: quality, reported_issues: [...new Set(verdicts.flatMap((v) => v.reported_issues))], user_feedback: summary(latest) },
  });
  return { quality, flagged: transition.interaction.flagged_for_review, reasons: transition.item.flag_reasons };
}

/** The latest verdict as the interaction shows it; answers the learner left out are absent. */
function summary(latest: FeedbackDoc): FeedbackSummary {
  return {
    rating: latest.rating,
    ...(latest.helpful !== undefined ? { helpful: latest.helpful } : {}),
    ...(latest.accurate !== undefined ? { accurate: latest.accurate } : {}),
    ...(latest.feedback_text !== undefined ? { feedback_text: latest.feedback_text } : {}),
    reported_issues: latest.reported_issues,
  };
}

export interface FeedbackStats {
  avg_rating: number;
  total_feedbacks: number;
  helpful_percentage: number;
  accurate_percentage: number;
  rating_distribution: Record<"1" | "2" | "3" | "4" | "5", number>;
  flagged: number;
  days: number;
  user_id: string | null;
}

/**
 * Statistics over the last `days` days, optionally for one learner (the original's names), at full
 * precision: the average rating is the mean of the ratings, percentages are 0..100.
 */
export async function feedbackStats(store: Store, raw: StatsInput = {}, now = new Date()): Promise<FeedbackStats> {
  const input = parseInput(FeedbackStatsInput, raw, "feedback stats query");
  const match: Record<string, unknown> = { timestamp: { $gte: new Date(now.getTime() - input.days * 86_400_000) } };
  if (input.user_id) match.user_id = input.user_id;
  const feedback = store.collection<FeedbackDoc>(COLLECTIONS.feedback);
  // One group per (rating, helpful, accurate): a handful of groups, summed here, where a group of
  // conditional counts would evaluate a dozen expressions on every verdict.
  const combos = await feedback
    .aggregate<{ _id: Pick<FeedbackDoc, "rating" | "helpful" | "accurate">; n: number }>([
      { $match: match },
      { $group: { _id: { rating: "$rating", helpful: "$helpful", accurate: "$accurate" }, n: { $sum: 1 } } },
    ])
    .toArray();
  // The groups leave out reported issues: the verdicts flagged by those alone are counted apart.
  const issuesOnly = await feedback.countDocuments({ ...match, rating: { $gt: FLAGGING_RATING }, accurate: { $ne: false }, "reported_issues.0": { $exists: true } });
  let total = 0;
  let ratingSum = 0;
  let helpful = 0;
  let accurate = 0;
  let flagged = issuesOnly;
  const distribution: Record<"1" | "2" | "3" | "4" | "5", number> = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
  for (const { _id: verdict, n } of combos) {
    total += n;
    ratingSum += verdict.rating * n;
    if (verdict.helpful === true) helpful += n;
    if (verdict.accurate === true) accurate += n;
    if (isFlagging(verdict)) flagged += n;
    const bucket = String(verdict.rating);
    if (bucket in distribution) distribution[bucket as keyof typeof distribution] += n;
  }
  // Full precision, computed as the original did (count / total * 100); only displays round.
  // Ratings are integers, so their sum is exact and the mean is MongoDB's $avg.
  const share = (n: number) => (total ? (n / total) * 100 : 0);
  return {
    avg_rating: total ? ratingSum / total : 0,
    total_feedbacks: total,
    helpful_percentage: share(helpful),
    accurate_percentage: share(accurate),
    rating_distribution: distribution,
    flagged,
    days: input.days,
    user_id: input.user_id ?? null,
  };
}
