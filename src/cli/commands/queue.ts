/**
 * `lexi queue add|list|show|validate|conflicts`.
 */
import { InvalidInputError } from "../../errors.js";
import type { QueueFilterInput, QueueItemDoc, ValidateInput } from "../../schema/queue.js";
import { addToQueue, getQueueItem, listQueue, reviewConflicts, validateExample, type Disagreement, type ValidationResult } from "../../services/queue.js";
import type { Store } from "../../store/store.js";
import { formatDate, formatScore, idText, shortText } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { readTargetInput } from "../edit/target-file.js";
import { currentOutput } from "../../domain/corrections.js";

export function addToQueueCommand(store: Store, id: string, options: { task?: string[]; quality?: number; notes?: string }): Promise<{ example_id: string }> {
  return addToQueue(store, { interaction_id: id, task_types: options.task ?? [], quality_score: options.quality, notes: options.notes });
}

export function renderAdded(result: { example_id: string }): string {
  return `Queued as example ${result.example_id}`;
}

export function listQueueCommand(store: Store, filter: QueueFilterInput): Promise<QueueItemDoc[]> {
  return listQueue(store, filter);
}

export function renderQueue(items: QueueItemDoc[]): string {
  if (items.length === 0) return "No training examples match.";
  return renderTable(
    ["id", "tasks", "level", "quality", "status", "text"],
    items.map((item) => [idText(item._id), item.task_types.join(","), item.difficulty_level, formatScore(item.quality_score), item.status, shortText(item.user_input, 40)]),
  );
}

export function showQueueItemCommand(store: Store, id: string): Promise<QueueItemDoc> {
  return getQueueItem(store, { example_id: id });
}

export function renderQueueItem(item: QueueItemDoc): string {
  const output = currentOutput(item);
  const lines = [
    `Example ${idText(item._id)} from interaction ${idText(item.source_interaction_id)} (user ${item.user_id})`,
    `Status ${item.status}${item.validated ? " (validated)" : ""} · tasks ${item.task_types.join(", ")} · level ${item.difficulty_level} · quality ${formatScore(item.quality_score)} · ${item.origin}`,
    `Learner: ${item.user_input}`,
    `Tutor:   ${output.tutor_response}`,
    ...output.grammar_errors.map((e) => `  [${e.type}] ${e.error} → ${e.correction}`),
  ];
  const revisions = item.revisions ?? [];
  if (revisions.length) {
    lines.push(`Corrected target shown; the tutor's own output stays in the example. Revisions:`);
    for (const revision of revisions) lines.push(`  ${formatDate(revision.at)}  ${revision.by}${revision.note ? ` — ${revision.note}` : ""}`);
  }
  if (item.flag_reasons.length) lines.push(`Flag reasons: ${item.flag_reasons.join("; ")}`);
  if (item.notes) lines.push(`Notes: ${item.notes}`);
  if (item.exports.length) lines.push(`Used in exports: ${item.exports.join(", ")}`);
  if (item.history.length) {
    lines.push("History:");
    for (const entry of item.history) lines.push(`  ${formatDate(entry.at)}  ${entry.decision.padEnd(10)} ${entry.by}${entry.notes ? ` — ${entry.notes}` : ""}`);
  }
  return lines.join("\n");
}

export function validateCommand(
  store: Store,
  id: string,
  options: { approve?: boolean; reject?: boolean; by: string; notes?: string; requireApprovals?: number },
): Promise<ValidationResult> {
  if (Boolean(options.approve) === Boolean(options.reject)) throw new InvalidInputError("choose exactly one of --approve or --reject");
  return validateExample(store, { example_id: id, approved: Boolean(options.approve), validated_by: options.by, notes: options.notes, require_approvals: options.requireApprovals });
}

/** `lexi queue correct`: the target in a JSON or YAML file becomes this reviewer's approved correction. */
export async function correctCommand(store: Store, id: string, options: { by: string; file: string; notes?: string; requireApprovals?: number }): Promise<ValidationResult> {
  const target = await readTargetInput(options.file);
  return validateExample(store, { example_id: id, approved: true, validated_by: options.by, notes: options.notes, require_approvals: options.requireApprovals, corrected_output: target as ValidateInput["corrected_output"] });
}

export function renderValidation(result: ValidationResult): string {
  const progress = result.status === "pending" ? ` (${result.approvals}/${result.required_approvals} approvals)` : "";
  const verb = result.revision !== undefined ? `Corrected (revision ${result.revision + 1}) and approved` : result.decision === "approved" ? "Approved" : "Rejected";
  return `${verb} example ${result.example_id}: now ${result.status}${progress}`;
}

export function conflictsCommand(store: Store, options: { limit?: number }): Promise<Disagreement[]> {
  return reviewConflicts(store, { limit: options.limit });
}

export function renderConflicts(items: Disagreement[]): string {
  if (items.length === 0) return "No disagreements between reviewers.";
  return renderTable(["id", "approved by", "rejected by", "text"], items.map((d) => [d.example_id, d.approvers.join(", "), d.rejecters.join(", "), shortText(d.user_input, 36)]));
}
