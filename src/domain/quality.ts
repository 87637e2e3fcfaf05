/**
 * Quality score of a feedback: rating / 5, +0.1 if helpful, +0.2 if accurate, at most 1.
 *
 * @example
 * qualityScore({ rating: 5, helpful: true, accurate: true }) // 1
 * qualityScore({ rating: 3 })                                // 0.6
 */
import { round4 } from "./round.js";

export interface Verdict {
  rating: number;
  helpful?: boolean;
  accurate?: boolean;
  reported_issues?: string[];
}

export function qualityScore(verdict: Verdict): number {
  const raw = verdict.rating / 5 + (verdict.helpful ? 0.1 : 0) + (verdict.accurate ? 0.2 : 0);
  return round4(Math.min(1, Math.max(0, raw)));
}

/** A rating at or below this flags the interaction. */
export const FLAGGING_RATING = 2;

/** The reasons a feedback flags its interaction: a low rating, not accurate, or reported issues. */
export function flagReasons(verdict: Verdict): string[] {
  const reasons: string[] = [];
  if (verdict.rating <= FLAGGING_RATING) reasons.push(`rating ${verdict.rating}`);
  if (verdict.accurate === false) reasons.push("not accurate");
  for (const issue of verdict.reported_issues ?? []) reasons.push(`reported: ${issue}`);
  return reasons;
}

export function isFlagging(verdict: Verdict): boolean {
  return flagReasons(verdict).length > 0;
}
