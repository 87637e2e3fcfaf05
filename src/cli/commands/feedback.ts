/**
 * `lexi feedback add|import|stats`.
 */
import { feedbackStats, submitFeedback, type FeedbackResult, type FeedbackStats } from "../../services/feedback.js";
import type { ImportSummary } from "../../services/import/import-records.js";
import { importFeedback } from "../../services/intake-import.js";
import type { Store } from "../../store/store.js";
import { importSource } from "../input.js";
import { runImport, type ImportCommandOptions } from "./import-command.js";
import { renderTable } from "../output/table.js";

export interface AddFeedbackOptions {
  interaction: string;
  user: string;
  rating: number;
  helpful?: boolean;
  accurate?: boolean;
  text?: string;
  issue?: string[];
}

export function addFeedbackCommand(store: Store, options: AddFeedbackOptions): Promise<FeedbackResult> {
  return submitFeedback(store, {
    interaction_id: options.interaction,
    user_id: options.user,
    rating: options.rating,
    helpful: options.helpful,
    accurate: options.accurate,
    feedback_text: options.text,
    reported_issues: options.issue ?? [],
  });
}

export function renderFeedbackResult(result: FeedbackResult): string {
  const verb = result.replaced ? "Replaced earlier feedback" : "Recorded feedback";
  const flag = result.flagged ? `; interaction FLAGGED for review (${result.flag_reasons.join(", ")})` : "";
  return `${verb} ${result.feedback_id} on interaction ${result.interaction_id}: quality ${result.quality_score.toFixed(2)}${flag}`;
}

export function importFeedbackCommand(store: Store, file: string, options: ImportCommandOptions): Promise<ImportSummary> {
  return runImport("feedback", options, (importOptions) => importFeedback(store, importSource(file), importOptions));
}

export function feedbackStatsCommand(store: Store, options: { user?: string; days?: number }): Promise<FeedbackStats> {
  return feedbackStats(store, { user_id: options.user, days: options.days });
}

export function renderFeedbackStats(stats: FeedbackStats): string {
  const scope = `${stats.user_id ? `learner ${stats.user_id}` : "all learners"}, last ${stats.days} days`;
  const distribution = (["5", "4", "3", "2", "1"] as const).map((stars) => {
    const count = stats.rating_distribution[stars];
    const bar = "█".repeat(stats.total_feedbacks ? Math.round((count / stats.total_feedbacks) * 30) : 0);
    return [`${stars}★`, count, bar];
  });
  return [
    `Feedback (${scope})`,
    renderTable(
      ["feedbacks", "avg rating", "helpful %", "accurate %", "flagged"],
      [[stats.total_feedbacks, stats.avg_rating.toFixed(2), stats.helpful_percentage.toFixed(1), stats.accurate_percentage.toFixed(1), stats.flagged]],
    ),
    renderTable(["rating", "count", ""], distribution),
  ].join("\n");
}
