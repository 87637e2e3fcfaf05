import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUTO_QUEUE, evaluateAutoQueue } from "../../src/domain/auto-queue.js";
import { CEFR_LEVELS } from "../../src/schema/common.js";

const errors = (n: number) => Array.from({ length: n }, () => ({}));

describe("auto-queue rule", () => {
  it.each([
    // errors, fluency, level → tasks, score, queued
    [0, 0.69, "A1", [], 0.5, false],
    [0, 0.7, "A1", ["fluency"], 0.7, false],
    [1, 0.69, "B1", ["grammar"], 0.7, false],
    [1, 0.7, "B1", ["grammar", "fluency"], 0.9, true],
    [3, 0.7, "A2", ["grammar", "fluency"], 0.9, true],
    [4, 0.7, "A2", ["fluency"], 0.7, false],
    [4, 0.7, "B2", ["fluency", "vocabulary"], 0.8, true],
    [0, 0.7, "C1", ["fluency", "vocabulary"], 0.8, true],
    [0, 0.7, "C2", ["fluency", "vocabulary"], 0.8, true],
    [0, 0.5, "C2", ["vocabulary"], 0.6, false],
    [2, 0.95, "C2", ["grammar", "fluency", "vocabulary"], 1, true],
    [3, 0.1, "B2", ["grammar", "vocabulary"], 0.8, true],
  ] as const)("%i errors, fluency %f, level %s → %j", (n, fluency, level, tasks, score, queue) => {
    expect(evaluateAutoQueue({ grammar_errors: errors(n), fluency_score: fluency, vocabulary_level: level })).toEqual({ tasks, score, queue });
  });

  it("counts B2, C1 and C2 (and only those) for vocabulary", () => {
    for (const level of CEFR_LEVELS) {
      const { tasks } = evaluateAutoQueue({ grammar_errors: [], fluency_score: 0, vocabulary_level: level });
      expect(tasks.includes("vocabulary")).toBe(["B2", "C1", "C2"].includes(level));
    }
  });

  it("queues exactly when score ≥ 0.8 with a task, for any input", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...CEFR_LEVELS), (n, fluency, level) => {
      const decision = evaluateAutoQueue({ grammar_errors: errors(n), fluency_score: fluency, vocabulary_level: level });
      const grammar = n >= 1 && n <= 3;
      const fluent = fluency >= 0.7;
      const vocabulary = ["B2", "C1", "C2"].includes(level);
      const score = 0.5 + (grammar ? 0.2 : 0) + (fluent ? 0.2 : 0) + (vocabulary ? 0.1 : 0);
      expect(decision.score).toBeCloseTo(score, 9);
      expect(decision.queue).toBe(score >= 0.8 - 1e-9 && (grammar || fluent || vocabulary));
    }));
  });

  it("takes other thresholds from configuration", () => {
    const strict = { ...DEFAULT_AUTO_QUEUE, minScore: 0.95 };
    expect(evaluateAutoQueue({ grammar_errors: errors(1), fluency_score: 0.8, vocabulary_level: "A1" }, strict).queue).toBe(false);
  });
});
