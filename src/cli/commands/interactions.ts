/**
 * `lexi interactions import|list|show`.
 */
import type { ImportSummary } from "../../services/import/import-records.js";
import { importInteractions } from "../../services/intake-import.js";
import { getInteraction, listInteractions, type ListInteractionsInput } from "../../services/interactions.js";
import type { InteractionDoc } from "../../schema/interaction.js";
import type { Store } from "../../store/store.js";
import { formatDate, formatScore, idText, shortText } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { importSource } from "../input.js";
import { runImport, type ImportCommandOptions } from "./import-command.js";

export function importInteractionsCommand(store: Store, file: string, options: ImportCommandOptions): Promise<ImportSummary> {
  return runImport("interactions", options, (importOptions) => importInteractions(store, importSource(file), importOptions));
}

export function listInteractionsCommand(store: Store, options: ListInteractionsInput): Promise<InteractionDoc[]> {
  return listInteractions(store, options);
}

export function renderInteractions(items: InteractionDoc[]): string {
  if (items.length === 0) return "No interactions match.";
  return renderTable(
    ["id", "time", "user", "level", "errors", "fluency", "quality", "flags", "text"],
    items.map((item) => [
      idText(item._id),
      formatDate(item.timestamp),
      item.user_id,
      item.analysis.vocabulary_level,
      item.analysis.grammar_errors.length,
      formatScore(item.analysis.fluency_score),
      formatScore(item.quality_score),
      [item.flagged_for_review ? "flagged" : "", item.in_training_queue ? "queued" : ""].filter(Boolean).join(" "),
      shortText(item.user_input.text, 36),
    ]),
  );
}

export function showInteractionCommand(store: Store, id: string): Promise<InteractionDoc> {
  return getInteraction(store, id);
}

export function renderInteraction(item: InteractionDoc): string {
  const lines = [
    `Interaction ${idText(item._id)}  (user ${item.user_id}, session ${item.session_id}, ${formatDate(item.timestamp)})`,
    `Learner:  ${item.user_input.text}`,
    `Tutor:    ${item.analysis.tutor_response}`,
    `Level ${item.analysis.vocabulary_level} · fluency ${formatScore(item.analysis.fluency_score)} · quality ${formatScore(item.quality_score)}` +
      ` · eligible ${item.training_eligible ? "yes" : "no"} · queued ${item.in_training_queue ? "yes" : "no"}` +
      (item.flagged_for_review ? ` · FLAGGED (${(item.reported_issues ?? []).join(", ") || "poor feedback"})` : ""),
  ];
  for (const error of item.analysis.grammar_errors) lines.push(`  [${error.type}] ${error.error} → ${error.correction}${error.explanation ? `  (${error.explanation})` : ""}`);
  if (item.user_feedback) lines.push(`Feedback: ${item.user_feedback.rating}★${item.user_feedback.feedback_text ? ` "${item.user_feedback.feedback_text}"` : ""}`);
  return lines.join("\n");
}
