/**
 * `lexi interactions log|import|list|show`.
 */
import { text } from "node:stream/consumers";
import { InvalidInputError } from "../../errors.js";
import { InteractionInput, type GrammarError, type InteractionDoc } from "../../schema/interaction.js";
import { importInteractions as importer } from "../../services/intake-import.js";
import { getInteraction, ListInteractionsInput, listInteractions, logInteraction, type LoggedInteraction } from "../../services/interactions.js";
import { formatDate, formatScore, idText, shortText } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";
import { importCommand } from "./import-command.js";

/** `type:error=>correction`, e.g. `verb_tense:I go=>I went`. */
export function parseGrammarError(text: string, previous: unknown): GrammarError[] {
  const match = /^([^:]+):(.*)=>(.*)$/s.exec(text);
  if (!match) throw new InvalidInputError(`--error takes type:error=>correction (e.g. "verb_tense:I go=>I went"); got "${text}"`);
  const error = { type: match[1]!.trim(), error: match[2]!.trim(), correction: match[3]!.trim() };
  return [...((previous as GrammarError[] | undefined) ?? []), error];
}

async function readJsonArgument(text: string): Promise<Record<string, unknown>> {
  const source = text === "-" ? await readStdin() : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new InvalidInputError(`the interaction is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InvalidInputError("the interaction must be one JSON object (use lexi interactions import for many)");
  return value as Record<string, unknown>;
}

function readStdin(): Promise<string> {
  return text(process.stdin);
}

/** Flags on top of the JSON: a flag given replaces that field of the JSON. */
function overlay(base: Record<string, unknown>, flags: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const inner = merged[key];
    merged[key] = value && typeof value === "object" && !Array.isArray(value) && inner && typeof inner === "object" && !Array.isArray(inner) ? overlay(inner as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return merged;
}

export function renderLogged(result: LoggedInteraction): string {
  const queued = result.queued ? `\nauto-queued as example ${result.example_id} (${result.task_types.join(", ")})` : "";
  return `Logged interaction ${result.interaction_id}${queued}`;
}

export const log = defineCommand({
  input: InteractionInput,
  flags: [
    { flags: "--session <id>", description: "the tutoring session", field: "session_id" },
    { flags: "--user <id>", description: "the learner", field: "user_id" },
    { flags: "--text <text>", description: "what the learner said or wrote", field: "user_input.text" },
    { flags: "--response <text>", description: "the tutor's answer", field: "analysis.tutor_response" },
    { flags: "--fluency <0..1>", description: "fluency score", field: "analysis.fluency_score" },
    { flags: "--level <cefr>", description: "vocabulary level, A1 … C2 (any case)", field: "analysis.vocabulary_level" },
    { flags: "--error <type:error=>correction>", description: "a grammar error (repeatable), e.g. \"verb_tense:I go=>I went\"", field: "analysis.grammar_errors", parse: parseGrammarError },
    { flags: "--time <date>", description: "when it happened: ISO 8601, today, yesterday or an age (2h); default now", field: "timestamp" },
  ],
  run: async ({ store, input, args }) => {
    // Empty parts first, so a missing field is named itself (`--text`), not its whole part.
    const given = overlay({ user_input: {}, analysis: {} }, args[0] ? await readJsonArgument(args[0]) : {});
    return logInteraction(store, overlay(given, input as Record<string, unknown>) as InteractionInput);
  },
  render: renderLogged,
});

export const importInteractions = importCommand("interactions", importer);

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

export const list = defineCommand({
  input: ListInteractionsInput,
  flags: [
    { flags: "--user <id>", description: "only this learner", field: "user_id" },
    { flags: "--session <id>", description: "only this session", field: "session_id" },
    { flags: "--flagged", description: "only interactions flagged for review", field: "flagged" },
    { flags: "--limit <n>", description: "at most this many", field: "limit" },
  ],
  run: ({ store, input }) => listInteractions(store, input),
  render: renderInteractions,
});

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

export const show = defineCommand({
  run: ({ store, args }) => getInteraction(store, args[0]!),
  render: renderInteraction,
});
