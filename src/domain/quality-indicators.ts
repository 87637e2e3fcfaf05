import type { Analysis, QualityIndicators } from "../schema/interaction.js";

/** The indicators the original derived at insert, from the analysis alone. */
export function deriveQualityIndicators(analysis: Analysis): QualityIndicators {
  return {
    has_grammar_errors: analysis.grammar_errors.length > 0,
    error_count: analysis.grammar_errors.length,
    fluency_score: analysis.fluency_score,
    vocabulary_level: analysis.vocabulary_level,
    has_pronunciation: (analysis.pronunciation_errors?.length ?? 0) > 0,
  };
}
