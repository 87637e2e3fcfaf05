/**
 * training_queue: curated examples for fine-tuning. The original's fields are kept; lexi adds the
 * review status, the history of decisions and the exports that used an example.
 */
import type { ObjectId } from "bson";
import * as z from "zod";
import { CorrectedTarget, type CorrectionRevision } from "./correction.js";
import type { Analysis } from "./interaction.js";
import { CefrLevel, IdString, Score01, WordName } from "./common.js";

export const QUEUE_STATUSES = ["pending", "approved", "rejected", "flagged"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface QueueDecision {
  decision: "approved" | "rejected" | "flagged" | "unflagged" | "retracted";
  by: string;
  at: Date;
  notes?: string;
  /** On an approval that corrected the target: the index of its entry in `revisions`. */
  revision?: number;
}

export interface QueueItemDoc {
  [key: string]: unknown;
  _id: ObjectId;
  source_interaction_id: ObjectId | string;
  user_id: string;
  session_id?: string;
  interaction_timestamp: Date;
  user_input: string;
  expected_output: Analysis;
  task_types: string[];
  difficulty_level: CefrLevel;
  quality_score: number;
  validated: boolean;
  validated_by: string | null;
  validated_at: Date | null;
  validation_notes: string | null;
  notes: string | null;
  created_at: Date;
  used_in_training: boolean;
  status: QueueStatus;
  history: QueueDecision[];
  flag_reasons: string[];
  origin: "auto" | "manual";
  exports: string[];
  /** Held by a reviewer in `lexi review` until `until`, so two reviewers never get the same item. */
  lease?: { by: string; until: Date } | null;
  /** Approvals needed when this item's status was last derived. */
  required_approvals?: number;
  /** Reviewers' corrections of the target, oldest first; `corrected_output` is the latest one applied. */
  revisions?: CorrectionRevision[];
  /** The analysis with the latest correction applied: what exports train on. */
  corrected_output?: Analysis;
}

export const QueueAddInput = z.object({
  interaction_id: IdString,
  task_types: z.array(WordName).min(1, "name at least one task").max(50),
  quality_score: Score01.default(1),
  notes: z.string().max(2000).optional(),
});
export type QueueAddInput = z.input<typeof QueueAddInput>;

/** The lowest quality score a listing or an export takes by default. */
export const MinQualityScore = Score01.default(0.7);

/** The filters `queue list`, `review` and the HTTP listing share. */
export const QueueFilterInput = z.object({
  task_types: z.array(WordName).default([]),
  status: z.enum(QUEUE_STATUSES).optional(),
  /** The example's CEFR level. */
  level: CefrLevel.optional(),
  validated_only: z.boolean().default(false),
  min_quality_score: MinQualityScore,
  limit: z.number().int().min(1).max(10_000).default(100),
});
export type QueueFilterInput = z.input<typeof QueueFilterInput>;

/** The filters of QueueFilterInput that match one field of an example exactly: input field → stored field. */
export const QUEUE_EQUALITY_FILTERS = { status: "status", level: "difficulty_level" } as const satisfies Partial<Record<keyof QueueFilterInput, keyof QueueItemDoc>>;

export const ReviewerName = z.string().trim().min(1, "the reviewer name must not be empty").max(100);
const RequiredApprovals = z.number().int().min(1).max(10).default(1);

export const ExampleRef = z.object({ example_id: IdString });
export type ExampleRef = z.input<typeof ExampleRef>;

export const ValidateInput = z.object({
  example_id: IdString,
  approved: z.boolean(),
  validated_by: ReviewerName,
  notes: z.string().max(2000).optional(),
  require_approvals: RequiredApprovals,
  /** A corrected target: the decision is then an approval of that target by this reviewer. */
  corrected_output: CorrectedTarget.optional(),
}).refine((input) => input.approved || input.corrected_output === undefined, {
  message: "a correction approves the corrected target; send approved: true with it",
  path: ["corrected_output"],
});
export type ValidateInput = z.input<typeof ValidateInput>;

/** Takes back a reviewer's standing decision on an example. */
export const RetractInput = z.object({ example_id: IdString, validated_by: ReviewerName });
export type RetractInput = z.input<typeof RetractInput>;

export const ConflictsInput = z.object({ limit: z.number().int().min(1).max(10_000).default(100) });
export type ConflictsInput = z.input<typeof ConflictsInput>;

/** The filter of a reviewer's pass: pending examples unless it names another status. */
export const ReviewFilterInput = QueueFilterInput.extend({ status: z.enum(QUEUE_STATUSES).default("pending") });
export type ReviewFilterInput = z.input<typeof ReviewFilterInput>;

export const ReviewStartInput = z.object({
  reviewer: ReviewerName,
  filter: ReviewFilterInput.prefault({}),
  require_approvals: RequiredApprovals,
  /** How long an item stays claimed by this reviewer without a decision. */
  lease_ms: z.number().int().min(1000).max(86_400_000).default(10 * 60_000),
});
export type ReviewStartInput = z.input<typeof ReviewStartInput>;
