/**
 * What an export takes: the filters of the queue, a format, splits and where to write.
 */
import { z } from "zod";
import { CefrLevel, IdString, Timestamp, WordName } from "./common.js";
import { Analysis } from "./interaction.js";
import { MinQualityScore } from "./queue.js";

const ANALYSIS_FIELDS = Object.keys(Analysis.shape) as [string, ...string[]];

export const EXPORT_FORMATS = ["raw", "openai", "alpaca", "sharegpt", "dpo", "kto"] as const;
/** Formats whose records say which answer is better (TRL's preference and unpaired-preference types). */
export const PREFERENCE_FORMATS: ReadonlySet<string> = new Set(["dpo", "kto"]);
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const TaskTemplate = z.object({
  // Bounded: the export record stores its templates, and MongoDB documents stop at 16 MiB.
  system: z.string().min(1).max(20_000).optional(),
  /** Which fields of the analysis make the target: a name that is not one would give empty targets. */
  fields: z
    .array(z.enum(ANALYSIS_FIELDS, { error: (issue) => `"${String(issue.input)}" is not a field of the analysis; use ${ANALYSIS_FIELDS.join(", ")}` }))
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
  })
  .refine((input) => Math.abs(input.split.reduce((a, b) => a + b, 0) - 1) < 1e-6, {
    message: "split ratios must add up to 1 (e.g. 0.9,0.05,0.05)",
    path: ["split"],
  })
  .refine((input) => !input.since || !input.until || input.since <= input.until, { message: "since must not be after until", path: ["since"] });
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
