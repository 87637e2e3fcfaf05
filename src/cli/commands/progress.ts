/**
 * `lexi progress snapshot|import|history`.
 */
import { ProgressHistoryInput, ProgressInput, type ProgressDoc } from "../../schema/progress.js";
import { importProgress as importer } from "../../services/intake-import.js";
import { progressHistory, saveSnapshot, type SavedSnapshot } from "../../services/progress.js";
import { lineChart } from "../output/chart.js";
import { formatDate, formatScore } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";
import { importCommand } from "./import-command.js";

export const snapshot = defineCommand({
  input: ProgressInput,
  flags: [
    { flags: "--user <id>", description: "the learner", field: "user_id", required: true },
    { flags: "--level <cefr>", description: "A1 … C2 (any case)", field: "level", required: true },
    { flags: "--fluency <0..1>", description: "average fluency", field: "fluency_score_avg", required: true },
    { flags: "--grammar-accuracy <0..1>", description: "grammar accuracy", field: "grammar_accuracy", required: true },
    { flags: "--vocabulary <n>", description: "vocabulary size", field: "vocabulary_count", required: true },
    { flags: "--pronunciation <0..1>", description: "average pronunciation score", field: "pronunciation_score_avg" },
    { flags: "--interactions <n>", description: "total interactions", field: "total_interactions" },
    { flags: "--streak <days>", description: "study streak in days", field: "study_streak_days" },
    { flags: "--date <date>", description: "the snapshot's own date: ISO 8601, today, yesterday or an age (2d); default now", field: "snapshot_date" },
  ],
  run: ({ store, input }) => saveSnapshot(store, input),
  render: renderSnapshot,
});

export function renderSnapshot(result: SavedSnapshot): string {
  return `Saved snapshot ${result.snapshot_id} for ${formatDate(result.snapshot_date)}: trend ${result.improvement_trend}`;
}

export const importProgress = importCommand("snapshots", importer);

export const history = defineCommand({
  input: ProgressHistoryInput,
  args: { user: "user_id" },
  flags: [{ flags: "--days <n>", description: "window in days", field: "days" }],
  run: ({ store, input }) => progressHistory(store, input),
  render: renderHistory,
});

export function renderHistory(items: ProgressDoc[]): string {
  if (items.length === 0) return "No snapshots in this window.";
  const table = renderTable(
    ["date", "level", "fluency", "grammar", "vocabulary", "streak", "trend"],
    items.map((s) => [formatDate(s.snapshot_date).slice(0, 10), s.level, formatScore(s.fluency_score_avg), formatScore(s.grammar_accuracy), s.vocabulary_count, s.study_streak_days, s.improvement_trend]),
  );
  const chart = lineChart([
    { name: "fluency", values: items.map((s) => s.fluency_score_avg) },
    { name: "grammar accuracy", values: items.map((s) => s.grammar_accuracy) },
  ]);
  return chart ? `${table}\n${chart}` : table;
}
