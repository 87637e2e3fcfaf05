/**
 * ai_interactions: one document per tutor turn (field names are the original system's).
 */
import type { ObjectId } from "bson";
import { z } from "zod";
import { CefrLevel, IdString, ImportedId, Score01, Timestamp, WordName } from "./common.js";

export const GRAMMAR_ERROR_TYPES = ["verb_tense", "subject_verb_agreement", "article", "preposition", "word_order", "spelling", "other"] as const;

export const GrammarError = z.object({
  type: WordName,
  error: z.string(),
  correction: z.string(),
  explanation: z.string().optional(),
  severity: z.string().optional(),
});
export type GrammarError = z.infer<typeof GrammarError>;

export const Analysis = z.object({
  fluency_score: Score01,
  vocabulary_level: CefrLevel,
  grammar_errors: z.array(GrammarError).default([]),
  pronunciation_errors: z.array(z.record(z.string(), z.unknown())).optional(),
  vocabulary_suggestions: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).optional(),
  tutor_response: z.string(),
  tutor_response_vi: z.string().optional(),
});
export type Analysis = z.infer<typeof Analysis>;

/** What a caller sends to log one interaction (also one line of an import). */
export const InteractionInput = z.object({
  _id: ImportedId.optional(),
  session_id: IdString,
  user_id: IdString,
  timestamp: Timestamp.optional(),
  user_input: z.object({
    text: z.string().min(1, "must not be empty"),
    audio_features: z.record(z.string(), z.unknown()).optional(),
    context: z.array(z.string()).default([]),
  }),
  models_used: z.array(z.string()).default([]),
  processing_time_ms: z.record(z.string(), z.number().nonnegative()).default({}),
  analysis: Analysis,
});
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
