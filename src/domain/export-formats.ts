/**
 * The record formats trainers read. Each record teaches one task: the target is the part of the
 * analysis that task teaches, as JSON text (or plain text when it is a single text field). The
 * grammar target ends with the corrected sentence: the learner's text with the corrections applied.
 */
import type { ExportFormat, ExportTemplates, TaskTemplate } from "../schema/export.js";
import type { Analysis } from "../schema/interaction.js";
import { correctedSentence } from "./corrected-sentence.js";

export interface ExportUnit {
  exampleId: string;
  task: string;
  input: string;
  analysis: Analysis;
  /** The tutor's own output, when a reviewer corrected it: raw records keep it beside the correction. */
  originalAnalysis?: Analysis;
  taskTypes: string[];
  difficulty: string;
  quality: number;
}

/** Keyed by task name, which is user data: a Map, so "constructor" or "toString" are just tasks. */
export const DEFAULT_TEMPLATES: ReadonlyMap<string, Required<TaskTemplate>> = new Map(Object.entries({
  grammar: {
    system: "You are a patient English tutor. List the grammar errors in the learner's sentence with their corrections and short explanations, and give the corrected sentence, as JSON.",
    fields: ["grammar_errors", "corrected_sentence"],
  },
  fluency: {
    system: "You are an English tutor. Rate the fluency of the learner's sentence from 0 to 1 and reply to the learner, as JSON.",
    fields: ["fluency_score", "tutor_response"],
  },
  vocabulary: {
    system: "You are an English tutor. Give the CEFR level of the learner's vocabulary and suggest better words, as JSON.",
    fields: ["vocabulary_level", "vocabulary_suggestions"],
  },
  tutor_response: {
    system: "You are a friendly English tutor. Reply to the learner, correcting mistakes gently.",
    fields: ["tutor_response"],
  },
}));

const FALLBACK: Required<TaskTemplate> = {
  system: "You are an English tutor. Analyse the learner's sentence, as JSON.",
  fields: ["grammar_errors", "fluency_score", "vocabulary_level", "tutor_response"],
};

export function templateFor(task: string, overrides: ExportTemplates): Required<TaskTemplate> {
  const base = DEFAULT_TEMPLATES.get(task) ?? FALLBACK;
  const override = Object.hasOwn(overrides, task) ? overrides[task] : undefined;
  return { ...base, ...override } as Required<TaskTemplate>;
}

export interface Target {
  text: string;
  /** The template asks for the corrected sentence, and an error's words are not in the learner's text: it is left out. */
  uncorrected: boolean;
}

/** The target of a task for the learner's `input`, saying whether a wanted corrected sentence had to be left out. */
export function buildTarget(analysis: Analysis, template: Required<TaskTemplate>, input: string): Target {
  // Field names come from user templates: read only the analysis's own fields.
  const record = analysis as unknown as Record<string, unknown>;
  const wantsSentence = template.fields.includes("corrected_sentence");
  const sentence = wantsSentence ? correctedSentence(input, analysis.grammar_errors ?? []) : undefined;
  const field = (name: string) => (name === "corrected_sentence" ? sentence : Object.hasOwn(record, name) ? record[name] : undefined);
  const uncorrected = wantsSentence && sentence === undefined;
  if (template.fields.length === 1 && typeof field(template.fields[0]!) === "string") return { text: field(template.fields[0]!) as string, uncorrected };
  const picked: Record<string, unknown> = Object.create(null);
  for (const name of template.fields) if (field(name) !== undefined) picked[name] = field(name);
  return { text: JSON.stringify(picked), uncorrected };
}

/** The target text of a task for the learner's `input`. */
export function targetFor(analysis: Analysis, template: Required<TaskTemplate>, input: string): string {
  return buildTarget(analysis, template, input).text;
}

interface ChatMessage {
  role: string;
  content: unknown;
}

const OPENAI_ROLES = new Set(["system", "user", "assistant", "developer", "tool"]);

/**
 * OpenAI's fine-tuning rules for a chat line: a `messages` array of known roles with non-empty
 * string content, and at least one assistant message. Returns what is wrong, or undefined.
 */
export function openAiLineProblem(record: { messages?: ChatMessage[] }): string | undefined {
  if (!Array.isArray(record.messages) || record.messages.length === 0) return "no messages";
  for (const message of record.messages) {
    if (!OPENAI_ROLES.has(message.role)) return `unknown role "${message.role}"`;
    if (typeof message.content !== "string" || message.content.trim() === "") return `empty content for ${message.role}`;
  }
  if (!record.messages.some((m) => m.role === "assistant")) return "no assistant message";
  return undefined;
}

export class FormatRuleError extends Error {}

export interface FormattedUnit {
  line: string;
  /** Its target wanted the corrected sentence and left it out (see Target). */
  uncorrected: boolean;
}

/** One JSONL line of a unit in a format; throws FormatRuleError for a line the format forbids. */
export function formatUnit(unit: ExportUnit, format: ExportFormat, templates: ExportTemplates): FormattedUnit {
  if (format === "raw") return { line: rawLine(unit), uncorrected: false };
  const template = templateFor(unit.task, templates);
  const { text: target, uncorrected } = buildTarget(unit.analysis, template, unit.input);
  return { line: chatLine(format, template.system, unit.input, target), uncorrected };
}

function rawLine(unit: ExportUnit): string {
  return JSON.stringify({
      id: unit.exampleId,
      input: unit.input,
      output: unit.analysis,
      task_types: unit.taskTypes,
      difficulty_level: unit.difficulty,
      quality_score: unit.quality,
      ...(unit.originalAnalysis ? { original_output: unit.originalAnalysis } : {}),
  });
}

function chatLine(format: ExportFormat, system: string, input: string, target: string): string {
  if (format === "openai") {
    const record = {
      messages: [
        { role: "system", content: system },
        { role: "user", content: input },
        { role: "assistant", content: target },
      ],
    };
    const problem = openAiLineProblem(record);
    if (problem) throw new FormatRuleError(problem);
    return JSON.stringify(record);
  }
  if (format === "alpaca") return JSON.stringify({ instruction: system, input, output: target });
  return JSON.stringify({
    conversations: [
      { from: "system", value: system },
      { from: "human", value: input },
      { from: "gpt", value: target },
    ],
  });
}
