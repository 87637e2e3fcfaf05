/**
 * `lexi queue add|list|show|validate|correct|conflicts`.
 */
import { InvalidInputError } from "../../errors.js";
import { currentOutput } from "../../domain/corrections.js";
import { ConflictsInput, ExampleRef, QueueAddInput, QueueFilterInput, ValidateInput, type QueueItemDoc } from "../../schema/queue.js";
import { addToQueue, getQueueItem, listQueue, reviewConflicts, validateExample, type Disagreement, type ValidationResult } from "../../services/queue.js";
import { readTargetInput } from "../edit/target-file.js";
import { taskOption } from "../input.js";
import { formatDate, formatScore, idText, shortText } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { BY_HELP, defaultReviewer } from "../reviewer.js";
import { defineCommand } from "../spec.js";
import { QUEUE_FILTER_FLAGS } from "./queue-filter-flags.js";

export const add = defineCommand({
  input: QueueAddInput,
  args: { "interaction-id": "interaction_id" },
  flags: [
    { flags: "--task <name>", description: "a task it teaches: grammar, fluency, vocabulary, tutor_response… (repeatable)", field: "task_types", parse: taskOption, required: true },
    { flags: "--quality <score>", description: "quality score from 0 to 1", field: "quality_score" },
    { flags: "--notes <text>", description: "why it is a good example", field: "notes" },
  ],
  run: ({ store, input }) => addToQueue(store, input),
  render: (result) => `Queued as example ${result.example_id}`,
});

export function renderQueue(items: QueueItemDoc[]): string {
  if (items.length === 0) return "No training examples match.";
  return renderTable(
    ["id", "tasks", "level", "quality", "status", "text"],
    items.map((item) => [idText(item._id), item.task_types.join(","), item.difficulty_level, formatScore(item.quality_score), item.status, shortText(item.user_input, 40)]),
  );
}

export const list = defineCommand({
  input: QueueFilterInput,
  flags: [...QUEUE_FILTER_FLAGS, { flags: "--status <status>", description: "pending, approved, rejected or flagged", field: "status" }],
  run: ({ store, input }) => listQueue(store, input),
  render: renderQueue,
});

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

export const show = defineCommand({
  input: ExampleRef,
  args: { id: "example_id" },
  run: ({ store, input }) => getQueueItem(store, input),
  render: renderQueueItem,
});

export function renderValidation(result: ValidationResult): string {
  const progress = result.status === "pending" ? ` (${result.approvals}/${result.required_approvals} approvals)` : "";
  const verb = result.revision !== undefined ? `Corrected (revision ${result.revision + 1}) and approved` : result.decision === "approved" ? "Approved" : "Rejected";
  return `${verb} example ${result.example_id}: now ${result.status}${progress}`;
}

const DECISION_FLAGS = [
  { flags: "--by <name>", description: "who decides", field: "validated_by", defaultHelp: BY_HELP },
  { flags: "--notes <text>", description: "why", field: "notes" },
  { flags: "--require-approvals <n>", description: "approvals from different reviewers needed", field: "require_approvals" },
] as const;

export const validate = defineCommand({
  input: ValidateInput,
  args: { id: "example_id" },
  flags: [
    { flags: "--approve", description: "approve it (clears a flag; then --notes is required)" },
    { flags: "--reject", description: "reject it (never exported)" },
    ...DECISION_FLAGS,
  ],
  run: ({ store, input, options }) => {
    if (Boolean(options.approve) === Boolean(options.reject)) throw new InvalidInputError("choose exactly one of --approve or --reject");
    return validateExample(store, { ...input, approved: Boolean(options.approve), validated_by: input.validated_by ?? defaultReviewer() });
  },
  render: renderValidation,
});

/** `lexi queue correct`: the target in a JSON or YAML file becomes this reviewer's approved correction. */
export const correct = defineCommand({
  input: ValidateInput,
  args: { id: "example_id" },
  flags: [
    ...DECISION_FLAGS.map((flag) => (flag.field === "notes" ? { ...flag, description: "why (needed when the example is flagged)" } : flag)),
    { flags: "--file <path>", description: "the corrected target as JSON or YAML (- reads standard input); see docs/corrections.md", required: true },
  ],
  run: async ({ store, input, options }) => {
    const target = await readTargetInput(options.file as string);
    return validateExample(store, { ...input, approved: true, validated_by: input.validated_by ?? defaultReviewer(), corrected_output: target as ValidateInput["corrected_output"] });
  },
  render: renderValidation,
});

export function renderConflicts(items: Disagreement[]): string {
  if (items.length === 0) return "No disagreements between reviewers.";
  return renderTable(["id", "approved by", "rejected by", "text"], items.map((d) => [d.example_id, d.approvers.join(", "), d.rejecters.join(", "), shortText(d.user_input, 36)]));
}

export const conflicts = defineCommand({
  input: ConflictsInput,
  flags: [{ flags: "--limit <n>", description: "at most this many", field: "limit" }],
  run: ({ store, input }) => reviewConflicts(store, input),
  render: renderConflicts,
});
