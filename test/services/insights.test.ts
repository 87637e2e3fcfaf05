import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/errors.js";
import { parseThreshold } from "../../src/domain/regression.js";
import type { InteractionDoc } from "../../src/schema/interaction.js";
import { analytics } from "../../src/services/analytics.js";
import { compareVersions, logMetrics, metricsHistory } from "../../src/services/metrics.js";
import { detectPatterns, userPatterns } from "../../src/services/patterns.js";
import { progressHistory, saveSnapshot } from "../../src/services/progress.js";
import { seedDemoData } from "../../src/services/seed.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import type { Store } from "../../src/store/store.js";
import { referenceAnalytics } from "../helpers/analytics-reference.js";
import { engines } from "../helpers/engines.js";
import { FIXED_NOW } from "../helpers/fixtures.js";

describe.each(engines)("insights on $name", (engine) => {
  let store: Store;
  let docs: InteractionDoc[];

  beforeAll(async () => {
    store = await engine.open({ retentionDays: 0 });
    await seedDemoData(store, { users: 18, interactions: 700, days: 75, seed: 17 }, undefined, FIXED_NOW);
    docs = await store.collection<InteractionDoc>(COLLECTIONS.interactions).find({}).toArray();
  });
  afterAll(async () => {
    await store.close();
  });

  describe("analytics equal an independent computation", () => {
    const metrics = ["fluency", "grammar", "vocabulary", "engagement"] as const;
    const groupings = [undefined, "day", "week", "month", "level"] as const;
    for (const metric of metrics) {
      for (const groupBy of groupings) {
        for (const tz of ["UTC", "Asia/Ho_Chi_Minh", "America/Los_Angeles"]) {
          if (!groupBy && tz !== "UTC") continue;
          it(`${metric} by ${groupBy ?? "all"} in ${tz}`, async () => {
            const result = await analytics(store, { metric, group_by: groupBy, tz });
            expect(result.data).toEqual(referenceAnalytics(docs, metric, groupBy, tz));
          });
        }
      }
    }

    it("filters by learner and time window", async () => {
      const since = new Date(FIXED_NOW.getTime() - 20 * 86_400_000);
      const result = await analytics(store, { metric: "grammar", group_by: "week", user_id: "learner-0003", start_date: since.toISOString() });
      const expected = referenceAnalytics(docs.filter((d) => d.user_id === "learner-0003" && d.timestamp >= since), "grammar", "week", "UTC");
      expect(result.data).toEqual(expected);
      expect(result.summary.interactions).toBe(expected.reduce((sum, row) => sum + (row.interactions as number), 0));
    });

    it("refuses an unknown metric or grouping, reversed dates and bad zones", async () => {
      await expect(analytics(store, { metric: "happiness" as never })).rejects.toThrow(/metric/);
      await expect(analytics(store, { metric: "fluency", group_by: "year" as never })).rejects.toThrow(/group_by/);
      await expect(analytics(store, { metric: "fluency", start_date: "2026-03-01", end_date: "2026-02-01" })).rejects.toThrow(/start date must not be after the end date/);
      await expect(analytics(store, { metric: "fluency", start_date: "03/01/2026" })).rejects.toThrow(/start_date/);
      await expect(analytics(store, { metric: "fluency", tz: "Mars/Olympus" })).rejects.toThrow(/IANA time zone/);
    });
  });

  describe("error patterns", () => {
    it("group by type and level with bounded examples and learners, stored once per (type, level)", async () => {
      const days = 30;
      const patterns = await detectPatterns(store, { days, min_frequency: 3 }, FIXED_NOW);
      const since = new Date(FIXED_NOW.getTime() - days * 86_400_000);
      const expected = new Map<string, { frequency: number; users: Set<string> }>();
      for (const doc of docs.filter((d) => d.timestamp >= since)) {
        for (const error of doc.analysis.grammar_errors) {
          const key = `${error.type}/${doc.analysis.vocabulary_level}`;
          const entry = expected.get(key) ?? { frequency: 0, users: new Set() };
          entry.frequency++;
          entry.users.add(doc.user_id);
          expected.set(key, entry);
        }
      }
      const wanted = [...expected].filter(([, v]) => v.frequency >= 3);
      expect(patterns).toHaveLength(wanted.length);
      for (const pattern of patterns) {
        const truth = expected.get(`${pattern.error_type}/${pattern.level}`)!;
        expect(pattern.frequency).toBe(truth.frequency);
        expect(pattern.affected_users).toBe(truth.users.size);
        expect(pattern.example_errors.length).toBeLessThanOrEqual(10);
        expect(pattern.sample_users.length).toBeLessThanOrEqual(10);
        expect(pattern.example_errors.reduce((sum, e) => sum + e.count, 0)).toBeLessThanOrEqual(pattern.frequency);
      }
      await detectPatterns(store, { days, min_frequency: 3 }, FIXED_NOW);
      expect(await store.collection(COLLECTIONS.errorPatterns).countDocuments()).toBe(wanted.length);
    });

    it("list one learner's error types with counts", async () => {
      const result = await userPatterns(store, { user_id: "learner-0005", days: 30 }, FIXED_NOW);
      const since = new Date(FIXED_NOW.getTime() - 30 * 86_400_000);
      const errors = docs.filter((d) => d.user_id === "learner-0005" && d.timestamp >= since).flatMap((d) => d.analysis.grammar_errors);
      expect(result.total_errors).toBe(errors.length);
      for (const type of result.error_types) expect(type.count).toBe(errors.filter((e) => e.type === type.error_type).length);
    });
  });

  describe("progress", () => {
    it("keeps a snapshot's own date and counts it in the trend", async () => {
      const day = (n: number) => new Date(Date.UTC(2026, 0, n)).toISOString();
      const base = { user_id: "trend-user", level: "B1" as const, grammar_accuracy: 0.7, vocabulary_count: 1000 };
      expect((await saveSnapshot(store, { ...base, fluency_score_avg: 0.5, snapshot_date: day(1) })).improvement_trend).toBe("stable");
      expect((await saveSnapshot(store, { ...base, fluency_score_avg: 0.55, snapshot_date: day(8) })).improvement_trend).toBe("stable");
      const third = await saveSnapshot(store, { ...base, fluency_score_avg: 0.65, snapshot_date: day(15) });
      expect(third).toMatchObject({ improvement_trend: "improving", snapshot_date: new Date(day(15)) });
      expect((await saveSnapshot(store, { ...base, fluency_score_avg: 0.4, snapshot_date: day(22) })).improvement_trend).toBe("declining");
      const history = await progressHistory(store, { user_id: "trend-user", days: 60 }, new Date(day(30)));
      expect(history.map((s) => s.fluency_score_avg)).toEqual([0.5, 0.55, 0.65, 0.4]);
    });
  });

  describe("model metrics", () => {
    it("compare versions and flag regressions past a threshold", async () => {
      await logMetrics(store, { model_name: "m", version: "a", metrics: { f1: 0.8, loss: 0.3 } });
      await logMetrics(store, { model_name: "m", version: "b", metrics: { f1: 0.79, loss: 0.33 } });
      const loose = await compareVersions(store, "m", "a", "b", { threshold: parseThreshold("0.02"), lowerIsBetter: ["loss"] });
      expect(loose.regressed).toEqual(["loss"]);
      const relative = await compareVersions(store, "m", "a", "b", { threshold: parseThreshold("1%"), lowerIsBetter: ["loss"] });
      expect(relative.regressed).toEqual(["f1", "loss"]);
      const f1 = relative.metrics.find((m) => m.metric === "f1")!;
      expect(f1).toMatchObject({ base: 0.8, candidate: 0.79, delta: -0.01, relative_change: -0.0125 });
      await expect(compareVersions(store, "m", "a", "zzz")).rejects.toBeInstanceOf(NotFoundError);
      expect((await metricsHistory(store, { model_name: "m" })).map((m) => m.version)).toEqual(["b", "a"]);
    });

    it("refuse non-numeric values and unknown exports", async () => {
      await expect(logMetrics(store, { model_name: "m", version: "c", metrics: { f1: "abc" } } as never)).rejects.toThrow(/metrics.f1/);
      await expect(logMetrics(store, { model_name: "m", version: "c", metrics: {} })).rejects.toThrow(/at least one metric/);
      await expect(logMetrics(store, { model_name: "m", version: "c", metrics: { f1: 1 }, export_id: "exp-missing" })).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
