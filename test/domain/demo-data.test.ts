import { describe, expect, it } from "vitest";
import { normalizeText } from "../../src/domain/dedup-key.js";
import { generateDemoData } from "../../src/domain/demo-data.js";

const NOW = new Date("2026-03-01T00:00:00Z");
const options = { users: 60, interactions: 20_000, days: 60, seed: 7, now: NOW };

describe("demo data", () => {
  const data = generateDemoData(options);
  const levelOf = new Map(data.progress.map((snapshot) => [snapshot.user_id, snapshot.level]));

  it("is the same for the same seed and differs for another", () => {
    expect(generateDemoData({ ...options, interactions: 500 })).toEqual(generateDemoData({ ...options, interactions: 500 }));
    expect(generateDemoData({ ...options, interactions: 500, seed: 8 }).interactions).not.toEqual(generateDemoData({ ...options, interactions: 500 }).interactions);
  });

  it("gives advanced learners none of the beginners' mistakes", () => {
    const beginner = data.interactions.filter((i) => levelOf.get(i.user_id) === "A1").flatMap((i) => i.analysis.grammar_errors ?? []);
    const advanced = data.interactions.filter((i) => levelOf.get(i.user_id) === "C2").flatMap((i) => i.analysis.grammar_errors ?? []);
    expect(beginner.length).toBeGreaterThan(100);
    expect(advanced.length).toBeGreaterThan(100);
    const explanations = (errors: typeof beginner) => new Set(errors.map((e) => e.explanation));
    const shared = [...explanations(advanced)].filter((text) => explanations(beginner).has(text));
    expect(shared).toEqual([]);
  });

  it("keeps vocabulary levels within one step of the learner's level", () => {
    const order = ["A1", "A2", "B1", "B2", "C1", "C2"];
    for (const interaction of data.interactions) {
      const learner = order.indexOf(levelOf.get(interaction.user_id)!);
      expect(Math.abs(order.indexOf(interaction.analysis.vocabulary_level) - learner)).toBeLessThanOrEqual(1);
    }
  });

  it("stays varied after deduplication: most grammar turns are distinct sentences", () => {
    const grammar = data.interactions.filter((i) => (i.analysis.grammar_errors?.length ?? 0) >= 1 && (i.analysis.grammar_errors?.length ?? 0) <= 3);
    const distinct = new Set(grammar.map((i) => normalizeText(i.user_input.text)));
    expect(grammar.length).toBeGreaterThan(5000);
    expect(distinct.size / grammar.length).toBeGreaterThan(0.5);
  });

  it("answers every mistake with the corrected sentence", () => {
    for (const interaction of data.interactions.slice(0, 2000)) {
      const errors = interaction.analysis.grammar_errors ?? [];
      if (errors.length === 0) continue;
      for (const error of errors) expect(interaction.user_input.text).toContain(error.error);
      expect(interaction.analysis.tutor_response).toContain(errors[0]!.correction);
    }
  });
});
