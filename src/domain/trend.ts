/**
 * Improvement trend of a progress snapshot: the new snapshot's fluency average against
 * the oldest of the last three snapshots, the new one included. More than +0.1 improving, below
 * −0.1 declining, else stable; fewer than two snapshots: stable.
 *
 * @example
 * improvementTrend([0.5, 0.55], 0.65) // "improving" (0.65 vs 0.5)
 */
import type { Trend } from "../schema/progress.js";

export const TREND_THRESHOLD = 0.1;

/** `earlier`: fluency averages of the learner's previous snapshots, oldest first. */
export function improvementTrend(earlier: number[], current: number): Trend {
  const window = [...earlier.slice(-2), current];
  if (window.length < 2) return "stable";
  const delta = current - window[0]!;
  // A tolerance keeps 0.6 - 0.5 (0.09999…) from reading as "stable" by floating-point noise.
  if (delta > TREND_THRESHOLD + 1e-9) return "improving";
  if (delta < -TREND_THRESHOLD - 1e-9) return "declining";
  return "stable";
}
