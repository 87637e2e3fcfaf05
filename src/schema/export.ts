/**
 * What an export takes: the filters of the queue, a format, splits and where to write.
 */
import * as z from "zod";
import { CefrLevel, IdString, Timestamp, WordName } from "./common.js";
import { Analysis } from "./interaction.js";
import { MinQualityScore } from "./queue.js";

/**
 * What a target can hold: the analysis's fields, and `corrected_sentence`, the learner's sentence
 * with the grammar corrections applied (derived at export).
 */
export const TARGET_FIELDS: [string, ...string[]] = ["corrected_sentence", ...Object.keys(Analysis.shape)];

export const EXPORT_FORMATS = ["raw", "openai", "alpaca", "sharegpt", "dpo", "kto"] as const;
/** Formats whose records say which answer is better (TRL's preference and unpaired-preference types). */
export const PREFERENCE_FORMATS: ReadonlySet<string> = new Set(["dpo", "kto"]);
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats with one record per task and a target text: the ones a clean example can join. */
const CHAT_FORMATS: ReadonlySet<string> = new Set(["openai", "alpaca", "sharegpt"]);

export const TaskTemplate = z.object({
  // Bounded: the export record stores its templates, and MongoDB documents stop at 16 MiB.
  system: z.string().min(1).max(20_000).optional(),
  /** Which fields make the target: a name that is not one would give empty targets. */
  fields: z
    .array(z.enum(TARGET_FIELDS, { error: (issue) => `"${String(issue.input)}" is not a field of the analysis; use ${TARGET_FIELDS.join(", ")}` }))
    .min(1)
    .max(50)
    .optional(),
});
export type TaskTemplate = z.infer<typeof TaskTemplate>;

export const ExportTemplates = z.record(WordName, TaskTemplate);
export type ExportTemplates = z.infer<typeof ExportTemplates>;

export const ExportInput = z
  .object({
    task_types: z.array(WordName).default([]),
    min_quality_score: MinQualityScore,
    validated_only: z.boolean().default(false),
    since: Timestamp.optional(),
    until: Timestamp.optional(),
    user_id: IdString.optional(),
    level: CefrLevel.optional(),
    limit: z.number().int().min(1).optional(),
    include_used: z.boolean().default(false),
    format: z.enum(EXPORT_FORMATS).default("raw"),
    dedup: z.boolean().default(true),
    split: z.array(z.number().min(0).max(1)).min(1).max(3).default([1]),
    split_by: z.enum(["user", "example"]).default("user"),
    seed: z.number().int().min(0).default(0),
    mark_used: z.boolean().default(false),
    /** Write a split that got no learner (too few of them) instead of refusing. */
    allow_empty_splits: z.boolean().default(false),
    templates: ExportTemplates.default({}),
    /**
     * The share of the grammar records that are clean examples (fluent, error-free, well-rated
     * interactions), so a model also learns that a sentence can be right. 0: none.
     */
    clean_share: z.number().min(0).max(0.9, "must be at most 0.9 (the grammar task also needs sentences with errors)").default(0),
  })
  .refine((input) => Math.abs(input.split.reduce((a, b) => a + b, 0) - 1) < 1e-6, {
    message: "split ratios must add up to 1 (e.g. 0.9,0.05,0.05)",
    path: ["split"],
  })
  .refine((input) => !input.since || !input.until || input.since <= input.until, { message: "since must not be after until", path: ["since"] })
  .refine((input) => input.clean_share === 0 || CHAT_FORMATS.has(input.format), { message: "clean examples are grammar records of a chat format: use openai, alpaca or sharegpt", path: ["clean_share"] })
  .refine((input) => input.clean_share === 0 || input.task_types.length === 0 || input.task_types.includes("grammar"), {
    message: "clean examples are grammar records: add the grammar task",
    path: ["clean_share"],
  });
export type ExportInput = z.input<typeof ExportInput>;
export type ValidExport = z.output<typeof ExportInput>;

/** `exports list`: the newest exports first, at most `limit`. */
export const ListExportsInput = z.object({ limit: z.number().int().min(1).max(10_000).default(50) });
export type ListExportsInput = z.input<typeof ListExportsInput>;

export const SPLIT_NAMES = ["train", "validation", "test"] as const;

export interface ExportFileRecord {
  split: string;
  /** As printed for the user (relative to where the export ran), or "-" for a stream. */
  path: string;
  records: number;
  learners: number;
  sha256: string;
}

/** Counts keyed by task or split name: null-prototype objects, so any task name is plain data. */
export interface ExportCounts {
  records: number;
  examples: number;
  per_split: Record<string, number>;
  learners_per_split: Record<string, number>;
  per_task: Record<string, number>;
  dropped_duplicates: number;
  excluded: { rejected: number; flagged: number; already_used: number; invalid_for_format: number };
  /** Examples whose target a reviewer corrected, among those exported. */
  corrected_examples: number;
  /** Records whose target asks for corrected_sentence but leaves it out: an error's words are not in the learner's text. */
  without_corrected_sentence: number;
  /**
   * With clean_share: the clean grammar records written, the share asked for, how many records
   * that share called for (before --limit), and how many interactions qualified.
   */
  clean?: { records: number; share: number; wanted: number; available: number };
  /** dpo/kto: records per source, and answers left out for want of a clear verdict. */
  preference?: { per_source: Record<string, number>; unclear: number };
}

export interface ExportDoc {
  [key: string]: unknown;
  _id: string;
  created_at: Date;
  lexi_version: string;
  engine: string;
  format: ExportFormat;
  filters: Record<string, unknown>;
  split: { ratios: number[]; by: "user" | "example"; seed: number };
  files: ExportFileRecord[];
  counts: ExportCounts;
  marked_used: boolean;
  /** incomplete: being made, nothing committed · publishing: committed, folder being moved into place · complete */
  state: "incomplete" | "publishing" | "complete";
  /** The process making the export, so the next run can tell a killed export from a live one. */
  owner: { host: string; pid: number };
  /** The dataset folder (absolute), or null for a stream. */
  directory: string | null;
  /** How the folder is built and moved into place (see dataset-folder). */
  folder: { destination: string; temp: string; backup: string } | null;
  /** The folder whose `latest` link points at the newest default export, if this is one. */
  latest_root: string | null;
  /** The export whose folder this one replaced (--force). */
  replaces: string | null;
  replaced_by?: string;
}
