/**
 * `lexi feedback add|import|stats`.
 */
import { FeedbackInput, FeedbackStatsInput } from "../../schema/feedback.js";
import { feedbackStats, submitFeedback, type FeedbackResult, type FeedbackStats } from "../../services/feedback.js";
import { importFeedback as importer } from "../../services/intake-import.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";
import { importCommand } from "./import-command.js";

export const add = defineCommand({
  input: FeedbackInput,
  flags: [
    { flags: "--interaction <id>", description: "the interaction", field: "interaction_id", required: true },
    { flags: "--user <id>", description: "the learner giving feedback", field: "user_id", required: true },
    { flags: "--rating <1-5>", description: "stars, a whole number from 1 to 5", field: "rating", required: true },
    { flags: "--helpful", description: "the answer helped", field: "helpful" },
    { flags: "--no-helpful", description: "the answer did not help", field: "helpful" },
    { flags: "--accurate", description: "the answer was correct", field: "accurate" },
    { flags: "--no-accurate", description: "the answer was wrong (flags the interaction)", field: "accurate" },
    { flags: "--text <text>", description: "the learner's comment", field: "feedback_text" },
    { flags: "--issue <name>", description: "a reported issue (repeatable; flags the interaction)", field: "reported_issues" },
  ],
  run: ({ store, input }) => submitFeedback(store, input),
  render: renderFeedbackResult,
});

export function renderFeedbackResult(result: FeedbackResult): string {
  const verb = result.replaced ? "Replaced earlier feedback" : "Recorded feedback";
  const flag = result.flagged ? `; interaction FLAGGED for review (${result.flag_reasons.join(", ")})` : "";
  return `${verb} ${result.feedback_id} on interaction ${result.interaction_id}: quality ${result.quality_score.toFixed(2)}${flag}`;
}

export const importFeedback = importCommand("feedback", importer);

export const stats = defineCommand({
  input: FeedbackStatsInput,
  flags: [
    { flags: "--user <id>", description: "only this learner", field: "user_id" },
    { flags: "--days <n>", description: "window in days", field: "days" },
  ],
  run: ({ store, input }) => feedbackStats(store, input),
  render: renderFeedbackStats,
});

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
