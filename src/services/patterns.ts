/**
 * Error patterns: grammar errors grouped by (type, CEFR level) across learners, with bounded
 * examples and learner samples, stored one document per (type, level) and updated in place.
 */
import { DetectPatternsInput, MAX_EXAMPLES_PER_PATTERN, MAX_SAMPLE_USERS, UserPatternsInput, type ErrorPatternDoc } from "../schema/patterns.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Doc, Store } from "../store/store.js";
import { parseInput } from "./validate.js";

type PatternKey = { type: string; level: string };

function windowMatch(days: number, now: Date, extra: Doc = {}): Doc {
  return { $match: { ...extra, timestamp: { $gte: new Date(now.getTime() - days * 86_400_000) }, "analysis.grammar_errors.0": { $exists: true } } };
}

const unwindErrors = { $unwind: "$analysis.grammar_errors" };

/**
 * @example
 * const patterns = await detectPatterns(store, { days: 7, min_frequency: 5 });
 */
export async function detectPatterns(store: Store, raw: DetectPatternsInput = {}, now = new Date()): Promise<ErrorPatternDoc[]> {
  const input = parseInput(DetectPatternsInput, raw, "pattern detection options");
  const interactions = store.collection(COLLECTIONS.interactions);
  // Two pipelines, each returning one small document per (type, level): results never become one
  // document (MongoDB refuses any over 16 MiB). Learners are counted by grouping on (type, level,
  // learner) first, so no group holds a list longer than its bound.
  const byLearner = await interactions
    .aggregate([
      windowMatch(input.days, now),
      unwindErrors,
      { $group: { _id: { type: "$analysis.grammar_errors.type", level: "$analysis.vocabulary_level", user: "$user_id" }, n: { $sum: 1 } } },
      { $sort: { "_id.user": 1 } },
      { $group: { _id: { type: "$_id.type", level: "$_id.level" }, frequency: { $sum: "$n" }, affected_users: { $sum: 1 }, sample_users: { $firstN: { n: MAX_SAMPLE_USERS, input: "$_id.user" } } } },
      { $match: { frequency: { $gte: input.min_frequency } } },
    ])
    .toArray();
  // The most frequent (error, correction) pairs of each pattern, sampled by a pipeline of its own.
  const examples = byLearner.length
    ? await interactions
        .aggregate([
          windowMatch(input.days, now),
          unwindErrors,
          { $group: { _id: { type: "$analysis.grammar_errors.type", level: "$analysis.vocabulary_level", error: "$analysis.grammar_errors.error", correction: "$analysis.grammar_errors.correction" }, count: { $sum: 1 } } },
          { $sort: { count: -1, "_id.error": 1, "_id.correction": 1 } },
          { $group: { _id: { type: "$_id.type", level: "$_id.level" }, examples: { $firstN: { n: MAX_EXAMPLES_PER_PATTERN, input: { error: "$_id.error", correction: "$_id.correction", count: "$count" } } } } },
        ])
        .toArray()
    : [];
  const examplesByKey = new Map(examples.map((row) => [keyOf(row._id as PatternKey), row.examples as ErrorPatternDoc["example_errors"]]));
  const patterns = store.collection<ErrorPatternDoc>(COLLECTIONS.errorPatterns);
  const stored: ErrorPatternDoc[] = [];
  for (const row of byLearner) {
    const key = row._id as PatternKey;
    const fields = {
      frequency: row.frequency as number,
      affected_users: row.affected_users as number,
      example_errors: examplesByKey.get(keyOf(key)) ?? [],
      sample_users: row.sample_users as string[],
      window_days: input.days,
      detected_at: now,
    };
    const doc = await patterns.findOneAndUpdate(
      { error_type: key.type, level: key.level },
      { $set: fields },
      { upsert: true, returnDocument: "after" },
    );
    stored.push(doc!);
  }
  return stored.sort((a, b) => b.frequency - a.frequency || a.error_type.localeCompare(b.error_type) || a.level.localeCompare(b.level));
}

function keyOf(key: PatternKey): string {
  return `${key.type}\u0000${key.level}`;
}

export interface UserErrorType {
  error_type: string;
  count: number;
  examples: Array<{ error: string; correction: string }>;
}

/** One learner's error types in the window, most frequent first, with a few examples each. */
export async function userPatterns(store: Store, raw: UserPatternsInput, now = new Date()): Promise<{ user_id: string; days: number; total_errors: number; error_types: UserErrorType[] }> {
  const input = parseInput(UserPatternsInput, raw, "learner pattern query");
  const rows = await store
    .collection(COLLECTIONS.interactions)
    .aggregate([
      windowMatch(input.days, now, { user_id: input.user_id }),
      { $sort: { timestamp: -1 } },
      unwindErrors,
      { $group: { _id: "$analysis.grammar_errors.type", count: { $sum: 1 }, examples: { $firstN: { n: 5, input: { error: "$analysis.grammar_errors.error", correction: "$analysis.grammar_errors.correction" } } } } },
      { $sort: { count: -1, _id: 1 } },
    ])
    .toArray();
  const error_types = rows.map((row) => ({ error_type: String(row._id), count: row.count as number, examples: row.examples as UserErrorType["examples"] }));
  return { user_id: input.user_id, days: input.days, total_errors: error_types.reduce((sum, t) => sum + t.count, 0), error_types };
}
