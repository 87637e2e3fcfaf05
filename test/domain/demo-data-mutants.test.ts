/**
 * What `lexi seed` promises about its demo data, checked on a small seed: the learners and their
 * levels, when each turn happened and in which session, the tutor's models and timings, how much
 * feedback there is and how much of it is poor, the weekly progress snapshots and the three model
 * versions.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { SeededRandom } from "../../src/domain/random.js";

const DAY = 86_400_000;
const NOW = new Date("2026-03-01T00:00:00Z");
const options = { users: 12, interactions: 3000, days: 28, seed: 3, now: NOW };
// Built inside each test, not when the file loads: a mutation run switches a mutant on only for
// the tests themselves.
let data: ReturnType<typeof generateDemoData>;
beforeEach(() => {
  data = generateDemoData(options);
});
const share = (part: number, whole: number) => part / whole;

describe("demo learners and turns", () => {
  it("has the requested learners, numbered, cycling through the six levels", () => {
    const levels = new Map(data.progress.map((snapshot) => [snapshot.user_id, snapshot.level]));
    expect([...levels.keys()].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `learner-${String(i + 1).padStart(4, "0")}`));
    expect([...levels.values()]).toEqual(["A1", "A2", "B1", "B2", "C1", "C2", "A1", "A2", "B1", "B2", "C1", "C2"]);
    expect(new Set(data.interactions.map((i) => i.user_id))).toEqual(new Set(levels.keys()));
  });

  it("spreads the requested number of turns over the last days, oldest first", () => {
    const times = data.interactions.map((i) => Date.parse(String(i.timestamp)));
    expect(times).toHaveLength(3000);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW.getTime() - 28 * DAY);
    expect(Math.max(...times)).toBeLessThan(NOW.getTime());
    // Both halves of the period have turns: the times are spread, not bunched at one end.
    const middle = NOW.getTime() - 14 * DAY;
    expect(share(times.filter((t) => t < middle).length, 3000)).toBeGreaterThan(0.4);
    expect(share(times.filter((t) => t < middle).length, 3000)).toBeLessThan(0.6);
  });

  it("groups a learner's turns into sessions of three hours at most", () => {
    const sessions = new Map<string, number[]>();
    for (const turn of data.interactions) {
      expect(turn.session_id.startsWith(`${turn.user_id}-s`)).toBe(true);
      sessions.set(turn.session_id, [...(sessions.get(turn.session_id) ?? []), Date.parse(String(turn.timestamp))]);
    }
    for (const times of sessions.values()) expect(Math.max(...times) - Math.min(...times)).toBeLessThan(3 * 3_600_000);
    // 28 days hold 224 three-hour blocks per learner: most sessions have a few turns each.
    expect(sessions.size).toBeGreaterThan(1000);
    expect(sessions.size).toBeLessThan(3000);
  });

  it("names the tutor's models and its time within 180–900 ms", () => {
    const second = data.interactions.map((i) => i.models_used![1]);
    expect(data.interactions.every((i) => i.models_used!.length === 2 && i.models_used![0] === "qwen-unified")).toBe(true);
    expect(share(second.filter((m) => m === "whisper-small").length, 3000)).toBeGreaterThan(0.2);
    expect(share(second.filter((m) => m === "whisper-small").length, 3000)).toBeLessThan(0.4);
    expect(new Set(second)).toEqual(new Set(["whisper-small", "grammar-checker"]));
    const ms = data.interactions.map((i) => i.processing_time_ms!["qwen-unified"]!);
    expect(Math.min(...ms)).toBe(180);
    expect(Math.max(...ms)).toBe(900);
  });

  it("gives more fluent turns to higher levels, each score within 0–1 with two decimals", () => {
    const levelOf = new Map(data.progress.map((snapshot) => [snapshot.user_id, snapshot.level]));
    const mean = (level: string) => {
      const scores = data.interactions.filter((i) => levelOf.get(i.user_id) === level).map((i) => i.analysis.fluency_score);
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    const means = ["A1", "A2", "B1", "B2", "C1", "C2"].map(mean);
    expect(means).toEqual([...means].sort((a, b) => a - b));
    expect(means[5]! - means[0]!).toBeGreaterThan(0.4);
    expect(means[0]!).toBeGreaterThan(0.3);
    expect(means[5]!).toBeLessThan(0.95);
    for (const turn of data.interactions) expect(Math.round(turn.analysis.fluency_score * 100) / 100).toBe(turn.analysis.fluency_score);
  });
});

describe("demo feedback", () => {
  const ratingsOf = () => data.feedback.map((f) => f.feedback.rating);
  const poorOnes = () => data.feedback.filter((f) => f.feedback.rating <= 2);

  it("rates about two turns in five, by the learner who wrote them, a minute later at most", () => {
    expect(share(data.feedback.length, 3000)).toBeGreaterThan(0.35);
    expect(share(data.feedback.length, 3000)).toBeLessThan(0.45);
    for (const { index, feedback } of data.feedback) {
      const turn = data.interactions[index]!;
      expect(feedback.user_id).toBe(turn.user_id);
      const delay = Date.parse(String(feedback.timestamp)) - Date.parse(String(turn.timestamp));
      expect(delay === 60_000 || (delay >= 0 && Date.parse(String(feedback.timestamp)) === NOW.getTime())).toBe(true);
    }
  });

  it("is poor (rating 1 or 2) about one time in seven, and uses all five ratings", () => {
    const poor = poorOnes();
    const ratings = ratingsOf();
    expect(new Set(ratings)).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(share(poor.length, ratings.length)).toBeGreaterThan(0.1);
    expect(share(poor.length, ratings.length)).toBeLessThan(0.2);
  });

  it("reports issues only with poor ratings, about half of the time", () => {
    const poor = poorOnes();
    const reported = data.feedback.filter((f) => (f.feedback.reported_issues ?? []).length > 0);
    expect(reported.every((f) => f.feedback.rating <= 2 && f.feedback.reported_issues!.length === 1)).toBe(true);
    expect(share(reported.length, poor.length)).toBeGreaterThan(0.35);
    expect(share(reported.length, poor.length)).toBeLessThan(0.65);
    expect(new Set(reported.flatMap((f) => f.feedback.reported_issues!))).toEqual(new Set(["wrong_correction", "too_long", "off_topic", "translation_wrong"]));
  });

  it("finds good answers helpful and accurate, and poor ones mostly neither", () => {
    const poor = poorOnes();
    const good = data.feedback.filter((f) => f.feedback.rating >= 3);
    expect(good.every((f) => f.feedback.helpful === true)).toBe(true);
    expect(share(good.filter((f) => f.feedback.accurate).length, good.length)).toBeGreaterThan(0.9);
    expect(share(good.filter((f) => f.feedback.accurate).length, good.length)).toBeLessThan(1);
    expect(share(poor.filter((f) => f.feedback.helpful).length, poor.length)).toBeGreaterThan(0.15);
    expect(share(poor.filter((f) => f.feedback.helpful).length, poor.length)).toBeLessThan(0.45);
    expect(share(poor.filter((f) => f.feedback.accurate).length, poor.length)).toBeGreaterThan(0.25);
    expect(share(poor.filter((f) => f.feedback.accurate).length, poor.length)).toBeLessThan(0.55);
  });

  it("comments about three times in ten, in words that fit the rating", () => {
    const commented = data.feedback.filter((f) => f.feedback.feedback_text !== undefined);
    expect(share(commented.length, data.feedback.length)).toBeGreaterThan(0.22);
    expect(share(commented.length, data.feedback.length)).toBeLessThan(0.38);
    for (const { feedback } of commented) {
      expect(feedback.feedback_text).toBe(feedback.rating <= 2 ? "The correction did not make sense to me." : "Clear explanation, thanks!");
    }
  });
});

describe("demo progress and model versions", () => {
  it("snapshots every learner weekly up to now, at the learner's level", () => {
    const weeks = 4;
    for (const [index, level] of ["A1", "A2", "B1", "B2", "C1", "C2"].entries()) {
      const snapshots = data.progress.filter((s) => s.user_id === `learner-000${index + 1}`);
      expect(snapshots.map((s) => s.snapshot_date)).toEqual(Array.from({ length: weeks + 1 }, (_, week) => new Date(NOW.getTime() - (weeks - week) * 7 * DAY).toISOString()));
      expect(snapshots.every((s) => s.level === level)).toBe(true);
      expect(snapshots[0]!.vocabulary_count).toBe(400 + index * 900);
      expect(snapshots[0]!.total_interactions).toBe(0);
      snapshots.forEach((s, week) => {
        expect(s.vocabulary_count).toBeGreaterThanOrEqual(400 + index * 900 + week * 10);
        expect(s.vocabulary_count).toBeLessThanOrEqual(400 + index * 900 + week * 60);
        expect(s.study_streak_days).toBeGreaterThanOrEqual(0);
        expect(s.study_streak_days).toBeLessThanOrEqual(7 * (week + 1));
        expect(s.total_interactions).toBeLessThanOrEqual(week * 20);
        expect(s.total_interactions).toBeGreaterThanOrEqual(week * 5);
        expect(s.common_errors).toHaveLength(1);
        expect(["verb_tense", "article", "preposition"]).toContain(s.common_errors![0]!.type);
        expect(s.common_errors![0]!.count).toBeGreaterThanOrEqual(1);
        expect(s.common_errors![0]!.count).toBeLessThanOrEqual(12);
      });
    }
  });

  it("has one snapshot a week, and at least one week for a short period", () => {
    expect(generateDemoData({ ...options, interactions: 10, days: 3 }).progress.filter((s) => s.user_id === "learner-0001")).toHaveLength(2);
    expect(data.progress).toHaveLength(12 * 5);
  });

  it("makes higher levels start more fluent and accurate", () => {
    const first = (n: number) => data.progress.find((s) => s.user_id === `learner-000${n}`)!;
    expect(first(6).fluency_score_avg).toBeGreaterThan(first(1).fluency_score_avg + 0.25);
    expect(first(6).grammar_accuracy).toBeGreaterThan(first(1).grammar_accuracy + 0.2);
    expect(first(1).fluency_score_avg).toBeGreaterThan(0.3);
    expect(first(1).grammar_accuracy).toBeGreaterThan(0.45);
  });

  it("lists three weekly versions of the tutor model, the latest a week ago, with fluency_mae lower-is-better", () => {
    expect(data.metrics.map((m) => [m.model_name, m.version, new Date(String(m.timestamp)).toISOString()])).toEqual([
      ["qwen-unified", "v1.1.0", "2026-02-08T00:00:00.000Z"],
      ["qwen-unified", "v1.2.0", "2026-02-15T00:00:00.000Z"],
      ["qwen-unified", "v1.3.0", "2026-02-22T00:00:00.000Z"],
    ]);
    expect(data.metrics.every((m) => m.lower_is_better?.join() === "fluency_mae")).toBe(true);
    expect(data.metrics.map((m) => m.metrics.grammar_f1)).toEqual([0.71, 0.76, 0.79]);
    expect(data.metrics[0]!.metadata).toEqual({ lora_rank: 16, epochs: 3 });
  });
});

describe("the seeded random source", () => {
  it("draws integers over the whole closed range, and values within bounds with two decimals", () => {
    const random = new SeededRandom(42);
    const ints = Array.from({ length: 2000 }, () => random.int(3, 7));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6, 7]));
    const values = Array.from({ length: 2000 }, () => random.around(0.95, 0.1));
    expect(Math.max(...values)).toBe(1);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.85);
    expect(values.every((v) => Math.round(v * 100) === v * 100 || Math.abs(Math.round(v * 100) - v * 100) < 1e-9)).toBe(true);
    const low = Array.from({ length: 2000 }, () => random.around(0.02, 0.1));
    expect(Math.min(...low)).toBe(0);
  });

  it("picks every item and takes chances at their rate", () => {
    const random = new SeededRandom(5);
    expect(new Set(Array.from({ length: 500 }, () => random.pick(["a", "b", "c"])))).toEqual(new Set(["a", "b", "c"]));
    const hits = Array.from({ length: 4000 }, () => random.chance(0.25)).filter(Boolean).length;
    expect(share(hits, 4000)).toBeGreaterThan(0.22);
    expect(share(hits, 4000)).toBeLessThan(0.28);
    expect(Array.from({ length: 100 }, () => random.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => random.chance(1)).every(Boolean)).toBe(true);
  });

  it("draws values spread over [0, 1), the same for the same seed and different for another", () => {
    const draws = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 1000 }, () => random.next());
    };
    const values = draws(9);
    expect(values).toEqual(draws(9));
    expect(values).not.toEqual(draws(10));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(values.filter((v) => v < 0.5).length).toBeGreaterThan(430);
    expect(values.filter((v) => v < 0.5).length).toBeLessThan(570);
    expect(new SeededRandom(-1).next()).toBe(new SeededRandom(4_294_967_295).next());
  });
});
