import { describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { SeededRandom } from "../../src/domain/random.js";
import { CEFR_LEVELS } from "../../src/schema/common.js";
import { FeedbackInput } from "../../src/schema/feedback.js";
import { GRAMMAR_ERROR_TYPES, InteractionInput } from "../../src/schema/interaction.js";
import { MetricsInput } from "../../src/schema/metrics.js";
import { ProgressInput } from "../../src/schema/progress.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const DAY = 86_400_000;
const options = { users: 12, interactions: 800, days: 30, seed: 3, now: NOW };
const data = generateDemoData(options);

describe("demo data", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(generateDemoData(options)).toEqual(data);
    expect(generateDemoData({ ...options, seed: 4 }).interactions).not.toEqual(data.interactions);
  });

  it("passes the input schemas every import uses", () => {
    for (const interaction of data.interactions) expect(InteractionInput.safeParse(interaction).error).toBeUndefined();
    for (const { feedback } of data.feedback) expect(FeedbackInput.safeParse({ ...feedback, interaction_id: "imported-1" }).error).toBeUndefined();
    for (const snapshot of data.progress) expect(ProgressInput.safeParse(snapshot).error).toBeUndefined();
    for (const metrics of data.metrics) expect(MetricsInput.safeParse(metrics).error).toBeUndefined();
  });

  it("spreads interactions over the window, oldest first, across every learner and level", () => {
    const times = data.interactions.map((i) => Date.parse(i.timestamp as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(NOW.getTime() - 30 * DAY);
    expect(times.at(-1)).toBeLessThanOrEqual(NOW.getTime());
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(28 * DAY);
    expect(new Set(data.interactions.map((i) => i.user_id))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => `learner-${String(i + 1).padStart(4, "0")}`)));
    expect(new Set(data.interactions.map((i) => i.analysis.vocabulary_level))).toEqual(new Set(CEFR_LEVELS));
    for (const interaction of data.interactions) expect(interaction.session_id).toMatch(new RegExp(`^${interaction.user_id}-s\\d+$`));
  });

  it("gives learners their level's fluency: higher levels more fluent, fewer errors", () => {
    const byLevel = (level: string) => data.interactions.filter((i) => i.user_id === `learner-${String(CEFR_LEVELS.indexOf(level as never) + 1).padStart(4, "0")}`);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const a1 = byLevel("A1");
    const c2 = byLevel("C2");
    expect(mean(c2.map((i) => i.analysis.fluency_score))).toBeGreaterThan(mean(a1.map((i) => i.analysis.fluency_score)) + 0.3);
    expect(c2.filter((i) => (i.analysis.grammar_errors ?? []).length === 0).length / c2.length).toBeGreaterThan(a1.filter((i) => (i.analysis.grammar_errors ?? []).length === 0).length / a1.length);
  });

  it("names each error by a fragment of the learner's text, with a correction the tutor's answer uses", () => {
    const types = new Set<string>();
    for (const { user_input, analysis } of data.interactions) {
      for (const error of analysis.grammar_errors ?? []) {
        types.add(error.type);
        expect(user_input.text).toContain(error.error);
        expect(analysis.tutor_response).toContain(error.correction);
        expect(error.correction).not.toBe(error.error);
        expect(error.explanation!.length).toBeGreaterThan(10);
      }
      expect(analysis.tutor_response.length).toBeGreaterThan(20);
    }
    expect([...types].sort()).toEqual([...GRAMMAR_ERROR_TYPES].sort());
    const texts = new Set(data.interactions.map((i) => i.user_input.text));
    expect(texts.size).toBeGreaterThan(120);
  });

  it("adds feedback to about 40% of interactions, some of it poor, never before the turn or after now", () => {
    expect(data.feedback.length / data.interactions.length).toBeGreaterThan(0.33);
    expect(data.feedback.length / data.interactions.length).toBeLessThan(0.47);
    const poor = data.feedback.filter(({ feedback }) => feedback.rating <= 2);
    expect(poor.length / data.feedback.length).toBeGreaterThan(0.08);
    expect(poor.length / data.feedback.length).toBeLessThan(0.22);
    expect(poor.some(({ feedback }) => feedback.reported_issues!.length > 0)).toBe(true);
    expect(data.feedback.filter(({ feedback }) => feedback.rating >= 3).every(({ feedback }) => feedback.helpful && feedback.reported_issues!.length === 0)).toBe(true);
    for (const { index, feedback } of data.feedback) {
      const interaction = data.interactions[index]!;
      expect(feedback.user_id).toBe(interaction.user_id);
      const at = Date.parse(feedback.timestamp as string);
      expect(at).toBeGreaterThanOrEqual(Date.parse(interaction.timestamp as string));
      expect(at).toBeLessThanOrEqual(Math.min(Date.parse(interaction.timestamp as string) + 60_000, NOW.getTime()));
    }
  });

  it("writes weekly progress snapshots per learner ending now, and three model versions a week apart", () => {
    const weeks = Math.floor(30 / 7);
    expect(data.progress).toHaveLength(12 * (weeks + 1));
    const first = data.progress.filter((p) => p.user_id === "learner-0001");
    expect(first.map((p) => p.snapshot_date)).toEqual(Array.from({ length: weeks + 1 }, (_, w) => new Date(NOW.getTime() - (weeks - w) * 7 * DAY).toISOString()));
    expect(first.every((p) => p.level === "A1")).toBe(true);
    expect(data.metrics.map((m) => [m.version, m.timestamp])).toEqual([
      ["v1.1.0", new Date(NOW.getTime() - 21 * DAY)],
      ["v1.2.0", new Date(NOW.getTime() - 14 * DAY)],
      ["v1.3.0", new Date(NOW.getTime() - 7 * DAY)],
    ]);
  });
});

describe("seeded random", () => {
  it("draws within bounds and repeats for a seed", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const draws = Array.from({ length: 2000 }, () => a.int(1, 6));
    expect(draws).toEqual(Array.from({ length: 2000 }, () => b.int(1, 6)));
    expect(new Set(draws)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    const around = Array.from({ length: 2000 }, () => a.around(0.95, 0.2));
    expect(Math.max(...around)).toBe(1);
    expect(Math.min(...around)).toBeGreaterThanOrEqual(0.75);
    expect(around.every((x) => Math.round(x * 100) === x * 100 || Math.abs(Math.round(x * 100) - x * 100) < 1e-9)).toBe(true);
    const hits = Array.from({ length: 4000 }, () => a.chance(0.25)).filter(Boolean).length;
    expect(hits / 4000).toBeGreaterThan(0.22);
    expect(hits / 4000).toBeLessThan(0.28);
  });
});
