/**
 * The error-pattern routes as the original answered them: arrays, most frequent first.
 */
import type { ErrorPatternDoc } from "../../schema/patterns.js";
import type { UserErrorType } from "../../services/patterns.js";

/** The original answered at most this many patterns. */
export const MAX_PATTERNS = 50;

/**
 * `GET /error-patterns`: `{_id: {type, level}, count, users, examples}` per pattern. lexi's lists
 * are bounded (a sample of learners, the most frequent examples), so it adds the exact
 * `affected_users` count.
 *
 * @example
 * patternsAnswer(patterns)[0] // { _id: { type: "article", level: "A2" }, count: 31, users: ["u1", …], examples: [{ error, correction, count }], affected_users: 12, … }
 */
export function patternsAnswer(patterns: ErrorPatternDoc[]): Array<Record<string, unknown>> {
  return patterns.slice(0, MAX_PATTERNS).map((pattern) => ({
    _id: { type: pattern.error_type, level: pattern.level },
    count: pattern.frequency,
    users: pattern.sample_users,
    examples: pattern.example_errors,
    affected_users: pattern.affected_users,
    window_days: pattern.window_days,
    detected_at: pattern.detected_at,
  }));
}

/**
 * `GET /error-patterns/user/{id}`: `{_id: error type, count, examples: [error text]}`; the
 * corrections that go with the examples are added beside them.
 */
export function learnerPatternsAnswer(errorTypes: UserErrorType[]): Array<Record<string, unknown>> {
  return errorTypes.map((type) => ({
    _id: type.error_type,
    count: type.count,
    examples: type.examples.map((example) => example.error),
    example_corrections: type.examples,
  }));
}
