/**
 * The auto-queue rule, evaluated when an interaction is logged: start at 0.5;
 * 1–3 grammar errors → grammar +0.2; fluency ≥ 0.7 → fluency +0.2; level B2+ → vocabulary +0.1;
 * queue when the score ≥ 0.8 and at least one task applies.
 *
 * @example
 * evaluateAutoQueue({ grammar_errors: [e], fluency_score: 0.75, vocabulary_level: "B1" })
 * // { score: 0.9, tasks: ["grammar", "fluency"], queue: true }
 */
import type { CefrLevel } from "../schema/common.js";
import { isAtLeast } from "./cefr.js";
import { round4 } from "./round.js";

export interface AutoQueueThresholds {
  base: number;
  minGrammarErrors: number;
  maxGrammarErrors: number;
  grammarBonus: number;
  minFluency: number;
  fluencyBonus: number;
  minVocabularyLevel: CefrLevel;
  vocabularyBonus: number;
  minScore: number;
}

export const DEFAULT_AUTO_QUEUE: AutoQueueThresholds = {
  base: 0.5,
  minGrammarErrors: 1,
  maxGrammarErrors: 3,
  grammarBonus: 0.2,
  minFluency: 0.7,
  fluencyBonus: 0.2,
  minVocabularyLevel: "B2",
  vocabularyBonus: 0.1,
  minScore: 0.8,
};

export interface AutoQueueInput {
  grammar_errors: unknown[];
  fluency_score: number;
  vocabulary_level: CefrLevel;
}

export interface AutoQueueDecision {
  score: number;
  tasks: string[];
  queue: boolean;
}

export function evaluateAutoQueue(analysis: AutoQueueInput, thresholds: AutoQueueThresholds = DEFAULT_AUTO_QUEUE): AutoQueueDecision {
  let score = thresholds.base;
  const tasks: string[] = [];
  const errors = analysis.grammar_errors.length;
  if (errors >= thresholds.minGrammarErrors && errors <= thresholds.maxGrammarErrors) {
    tasks.push("grammar");
    score += thresholds.grammarBonus;
  }
  if (analysis.fluency_score >= thresholds.minFluency) {
    tasks.push("fluency");
    score += thresholds.fluencyBonus;
  }
  if (isAtLeast(analysis.vocabulary_level, thresholds.minVocabularyLevel)) {
    tasks.push("vocabulary");
    score += thresholds.vocabularyBonus;
  }
  score = round4(Math.min(1, score));
  return { score, tasks, queue: tasks.length > 0 && score >= thresholds.minScore - 1e-9 };
}
