/**
 * `GET /feedback/stats` as the original answered: the one route where it rounded, with Python's
 * `round` (average rating to 2 places, percentages to 1). lexi's service keeps full precision.
 */
import type { FeedbackStats } from "../../services/feedback.js";
import { pythonRound } from "../python-round.js";

/**
 * @example
 * feedbackStatsAnswer(stats) // { avg_rating: 3.12, total_feedbacks: 16, helpful_percentage: 81.2, accurate_percentage: 68.8, … }
 */
export function feedbackStatsAnswer(stats: FeedbackStats): FeedbackStats {
  return {
    ...stats,
    avg_rating: pythonRound(stats.avg_rating, 2),
    helpful_percentage: pythonRound(stats.helpful_percentage, 1),
    accurate_percentage: pythonRound(stats.accurate_percentage, 1),
  };
}
