/**
 * `lexi progress snapshot|import|history`.
 */
import type { CefrLevel } from "../../schema/common.js";
import type { ProgressDoc } from "../../schema/progress.js";
import type { ImportSummary } from "../../services/import/import-records.js";
import { importProgress } from "../../services/intake-import.js";
import { progressHistory, saveSnapshot, type SavedSnapshot } from "../../services/progress.js";
import type { Store } from "../../store/store.js";
import { importSource } from "../input.js";
import { runImport, type ImportCommandOptions } from "./import-command.js";
import { lineChart } from "../output/chart.js";
import { formatDate, formatScore } from "../output/format.js";
import { renderTable } from "../output/table.js";

export interface SnapshotOptions {
  user: string;
  level: CefrLevel;
  fluency: number;
  grammarAccuracy: number;
  vocabulary: number;
  pronunciation?: number;
  interactions?: number;
  streak?: number;
  date?: string;
}

export function snapshotCommand(store: Store, options: SnapshotOptions): Promise<SavedSnapshot> {
  return saveSnapshot(store, {
    user_id: options.user,
    level: options.level,
    fluency_score_avg: options.fluency,
    grammar_accuracy: options.grammarAccuracy,
    vocabulary_count: options.vocabulary,
    pronunciation_score_avg: options.pronunciation,
    total_interactions: options.interactions,
    study_streak_days: options.streak,
    snapshot_date: options.date,
  });
}

export function renderSnapshot(result: SavedSnapshot): string {
  return `Saved snapshot ${result.snapshot_id} for ${formatDate(result.snapshot_date)}: trend ${result.improvement_trend}`;
}

export function importProgressCommand(store: Store, file: string, options: ImportCommandOptions): Promise<ImportSummary> {
  return runImport("snapshots", options, (importOptions) => importProgress(store, importSource(file), importOptions));
}

export function historyCommand(store: Store, user: string, options: { days?: number }): Promise<ProgressDoc[]> {
  return progressHistory(store, user, options.days);
}

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
