/**
 * Error patterns: grammar errors grouped by (type, CEFR level) across learners, with bounded
 * examples and learner samples, stored one document per (type, level) and updated in place.
 */
import { DetectPatternsInput, MAX_EXAMPLES_PER_PATTERN, MAX_SAMPLE_USERS, UserPatternsInput, type ErrorPatternDoc } from "../schema/patterns.js";
import { type ErrorCount, foldPatterns } from "../domain/error-patterns.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Doc, Store } from "../store/store.js";
import { parseInput } from "./validate.js";

function windowStart(days: number, now: Date): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

function windowMatch(days: number, now: Date, extra: Doc = {}): Doc {
  return { $match: { ...extra, timestamp: { $gte: windowStart(days, now) }, "analysis.grammar_errors.0": { $exists: true } } };
}

const unwindErrors = { $unwind: "$analysis.grammar_errors" };

/**
 * @example
 * const patterns = await detectPatterns(store, { days: 7, min_frequency: 5 });
 */
export async function detectPatterns(store: Store, raw: DetectPatternsInput = {}, now = new Date()): Promise<ErrorPatternDoc[]> {
  const input = parseInput(DetectPatternsInput, raw, "pattern detection options");
  // One pipeline returning one small document per (type, level, learner, error, correction): the
  // results never become one document (MongoDB refuses any over 16 MiB), and the patterns are
  // folded from them here. Interactions without errors are dropped by the $unwind.
  const counts = await store
    .collection(COLLECTIONS.interactions)
    .aggregate([
      { $match: { timestamp: { $gte: windowStart(input.days, now) } } },
      unwindErrors,
      {
        $group: {
          _id: { type: "$analysis.grammar_errors.type", level: "$analysis.vocabulary_level", user: "$user_id", error: "$analysis.grammar_errors.error", correction: "$analysis.grammar_errors.correction" },
          count: { $sum: 1 },
        },
      },
    ])
    .toArray();
  const folded = foldPatterns(
    counts.map((row) => ({ ...(row._id as Omit<ErrorCount, "count">), count: row.count as number })),
    { minFrequency: input.min_frequency, sampleUsers: MAX_SAMPLE_USERS, examples: MAX_EXAMPLES_PER_PATTERN },
  );
  const patterns = store.collection<ErrorPatternDoc>(COLLECTIONS.errorPatterns);
  const stored: ErrorPatternDoc[] = [];
  for (const pattern of folded) {
    const fields = {
      frequency: pattern.frequency,
      affected_users: pattern.affected_users,
      example_errors: pattern.example_errors,
      sample_users: pattern.sample_users,
      window_days: input.days,
      detected_at: now,
    };
    const doc = await patterns.findOneAndUpdate(
      { error_type: pattern.type, level: pattern.level },
      { $set: fields },
      { upsert: true, returnDocument: "after" },
    );
    stored.push(doc!);
  }
  return stored.sort((a, b) => b.frequency - a.frequency || a.error_type.localeCompare(b.error_type) || a.level.localeCompare(b.level));
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
