/**
 * A reviewer's correction of an example's target: the parts of the tutor's analysis a reviewer can
 * fix (the grammar errors, the tutor's response, the vocabulary suggestions). Scores and levels
 * are measurements, not answers, so they are not edited.
 */
import * as z from "zod";
import { Analysis, GrammarError } from "./interaction.js";

export const CorrectedTarget = z
  .object({
    grammar_errors: z.array(GrammarError.extend({ error: z.string().min(1, "must not be empty"), correction: z.string().min(1, "must not be empty") })).max(50),
    tutor_response: z.string().trim().min(1, "must not be empty").max(10_000),
    vocabulary_suggestions: Analysis.shape.vocabulary_suggestions,
  })
  .strict();
export type CorrectedTarget = z.infer<typeof CorrectedTarget>;

/** The editable part of an analysis, as a reviewer starts from it. */
export function targetOf(analysis: Analysis): CorrectedTarget {
  return {
    grammar_errors: analysis.grammar_errors.map((e) => ({ ...e })),
    tutor_response: analysis.tutor_response,
    ...(analysis.vocabulary_suggestions ? { vocabulary_suggestions: analysis.vocabulary_suggestions } : {}),
  };
}

/** One saved correction: who, when, what the target was before, and why. */
export interface CorrectionRevision {
  by: string;
  at: Date;
  previous: CorrectedTarget;
  target: CorrectedTarget;
  note?: string;
}
