/**
 * ai_interactions: one document per tutor turn (field names are the original system's).
 */
import type { ObjectId } from "bson";
import * as z from "zod";
import { CefrLevel, FreeForm, IdString, ImportedId, Score01, Timestamp, WordName } from "./common.js";
import { checkEncodedSize } from "./document-size.js";

/**
 * Bounds on free text: far above any real tutor turn, far below MongoDB's 16 MiB document limit
 * (an interaction is copied into its training example, so both must fit). Free-form parts
 * (audio features, pronunciation details) are bounded by the encoded-size check instead.
 */
const TEXT = 20_000;
const SHORT_TEXT = 2_000;
const LIST = 200;
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const GRAMMAR_ERROR_TYPES = ["verb_tense", "subject_verb_agreement", "article", "preposition", "word_order", "spelling", "other"] as const;

export const GrammarError = z.object({
  type: WordName,
  error: text(SHORT_TEXT),
  correction: text(SHORT_TEXT),
  explanation: text(SHORT_TEXT).optional(),
  severity: text(100).optional(),
});
export type GrammarError = z.infer<typeof GrammarError>;

export const Analysis = z.object({
  fluency_score: Score01,
  vocabulary_level: CefrLevel,
  grammar_errors: z.array(GrammarError).max(LIST).default([]),
  pronunciation_errors: z.array(FreeForm).max(LIST).optional(),
  vocabulary_suggestions: z.array(z.union([text(SHORT_TEXT), FreeForm])).max(LIST).optional(),
  tutor_response: text(TEXT),
  tutor_response_vi: text(TEXT).optional(),
});
export type Analysis = z.infer<typeof Analysis>;

/** What a caller sends to log one interaction (also one line of an import). */
export const InteractionInput = z
  .object({
    _id: ImportedId.optional(),
    session_id: IdString,
    user_id: IdString,
    timestamp: Timestamp.optional(),
    user_input: z.object({
      text: text(TEXT).min(1, "must not be empty"),
      audio_features: FreeForm.optional(),
      context: z.array(text(TEXT)).max(LIST).default([]),
    }),
    models_used: z.array(text(200)).max(50).default([]),
    processing_time_ms: z.record(z.string(), z.number().nonnegative()).default({}),
    analysis: Analysis,
  })
  .superRefine(checkEncodedSize);
export type InteractionInput = z.input<typeof InteractionInput>;
export type ValidInteraction = z.output<typeof InteractionInput>;

export interface QualityIndicators {
  has_grammar_errors: boolean;
  error_count: number;
  fluency_score: number;
  vocabulary_level: CefrLevel;
  has_pronunciation: boolean;
}

export interface FeedbackSummary {
  rating: number;
  helpful?: boolean;
  accurate?: boolean;
  feedback_text?: string;
  reported_issues: string[];
}

/** The stored document. */
export interface InteractionDoc extends Omit<ValidInteraction, "_id" | "timestamp"> {
  [key: string]: unknown;
  _id: ObjectId | string;
  timestamp: Date;
  quality_indicators: QualityIndicators;
  training_eligible: boolean;
  training_validated: boolean;
  in_training_queue: boolean;
  indexed_at: Date;
  quality_score?: number;
  flagged_for_review?: boolean;
  reported_issues?: string[];
  user_feedback?: FeedbackSummary;
}
