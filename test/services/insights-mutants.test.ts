/**
 * The totals beside the analytics groups, the order of error patterns and metrics, and the
 * windows of progress history: what a dashboard or the CLI summary line shows, each checked
 * against a computation from the stored documents where a planted bug survived the rest of the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CEFR_LEVELS } from "../../src/schema/common.js";
import type { InteractionDoc } from "../../src/schema/interaction.js";
import { analytics } from "../../src/services/analytics.js";
import { compareVersions, loggedEntries, logMetrics, metricsHistory } from "../../src/services/metrics.js";
import { detectPatterns, userPatterns } from "../../src/services/patterns.js";
import { progressHistory, saveSnapshot } from "../../src/services/progress.js";
import { seedDemoData } from "../../src/services/seed.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { FIXED_NOW } from "../helpers/fixtures.js";

const DAY = 86_400_000;
let store: Store;
let docs: InteractionDoc[];

beforeAll(async () => {
  store = await openStore(":memory:", { retentionDays: 0 });
  await seedDemoData(store, { users: 9, interactions: 300, days: 20, seed: 23 }, undefined, FIXED_NOW);
  docs = await store.collection<InteractionDoc>(COLLECTIONS.interactions).find({}).toArray();
});
afterAll(async () => {
  await store.close();
});

describe("analytics summaries", () => {
  const count = () => docs.length;

  it("give fluency's mean over every interaction, its least and its greatest", async () => {
    const scores = docs.map((d) => d.analysis.fluency_score);
    const { summary } = await analytics(store, { metric: "fluency", group_by: "day" });
    expect(summary.groups).toBeGreaterThan(5);
    expect(summary.interactions).toBe(count());
    expect(summary.avg as number).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 12);
    expect(summary.min).toBe(Math.min(...scores));
    expect(summary.max).toBe(Math.max(...scores));
  });

  it("count grammar errors, per interaction and the share with any", async () => {
    const errors = docs.reduce((sum, d) => sum + d.analysis.grammar_errors.length, 0);
    const withErrors = docs.filter((d) => d.analysis.grammar_errors.length > 0).length;
    const { summary, data } = await analytics(store, { metric: "grammar", group_by: "week" });
    expect(summary).toEqual({ groups: data.length, interactions: count(), errors, errors_per_interaction: errors / count(), share_with_errors: withErrors / count() });
    expect(errors).toBeGreaterThan(withErrors);
  });

  it("count interactions per vocabulary level", async () => {
    const { summary } = await analytics(store, { metric: "vocabulary", group_by: "day" });
    const expected = Object.fromEntries(CEFR_LEVELS.map((level) => [level, docs.filter((d) => d.analysis.vocabulary_level === level).length]));
    expect(summary).toMatchObject({ interactions: count(), ...expected });
  });

  it("count sessions per group and distinct learners overall", async () => {
    const { summary, data } = await analytics(store, { metric: "engagement", group_by: "week" });
    expect(summary.sessions).toBe(data.reduce((sum, row) => sum + (row.sessions as number), 0));
    expect(summary.learners).toBe(new Set(docs.map((d) => d.user_id)).size);
    const all = await analytics(store, { metric: "engagement" });
    expect(all.group_by).toBeNull();
    expect(all.summary.sessions).toBe(new Set(docs.map((d) => `${d.user_id}\u0000${d.session_id}`)).size);
  });

  it("are the bare counts when the window holds nothing", async () => {
    const empty = { start_date: "2001-01-01", end_date: "2001-01-02" };
    for (const metric of ["fluency", "grammar", "vocabulary", "engagement"] as const) {
      expect((await analytics(store, { metric, group_by: "day", ...empty })).summary).toEqual({ groups: 0, interactions: 0 });
    }
  });
});

describe("stored error patterns", () => {
  it("come most frequent first, ties by error type, and are counted once per learner", async () => {
    const patterns = await detectPatterns(store, { days: 30 }, FIXED_NOW);
    expect(patterns.length).toBeGreaterThan(3);
    for (let i = 1; i < patterns.length; i++) {
      const [a, b] = [patterns[i - 1]!, patterns[i]!];
      expect(a.frequency > b.frequency || (a.frequency === b.frequency && a.error_type.localeCompare(b.error_type) <= 0)).toBe(true);
    }
    for (const pattern of patterns) {
      expect(pattern.affected_users).toBeLessThanOrEqual(pattern.frequency);
      expect(pattern.sample_users.length).toBeLessThanOrEqual(pattern.affected_users);
      expect(pattern.example_errors.length).toBeGreaterThan(0);
    }
  });
});

describe("analytics groups", () => {
  it("come in CEFR order by level and in time order by day", async () => {
    const levels = (await analytics(store, { metric: "vocabulary", group_by: "level" })).data.map((row) => row.group);
    expect(levels.length).toBeGreaterThan(2);
    expect(levels).toEqual(CEFR_LEVELS.filter((level) => levels.includes(level)));
    const days = (await analytics(store, { metric: "fluency", group_by: "day" })).data.map((row) => row.group);
    expect(days).toEqual([...new Set(days)].sort());
  });

  it("come in time order even when the interactions were stored newest first", async () => {
    const reversed = await openStore(":memory:", { retentionDays: 0 });
    try {
      const newestFirst = [...docs].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime()).slice(0, 60);
      await reversed.collection(COLLECTIONS.interactions).insertMany(newestFirst);
      const days = (await analytics(reversed, { metric: "fluency", group_by: "day" })).data.map((row) => row.group);
      expect(days.length).toBeGreaterThan(1);
      expect(days).toEqual([...days].sort());
    } finally {
      await reversed.close();
    }
  });

  it("read an Etc/GMT zone as its offset, not as UTC (Etc/GMT+1 is an hour behind)", async () => {
    // The input schema turns a fixed zone's name into its offset: the answer says which zone it used.
    const byZone = await analytics(store, { metric: "fluency", group_by: "day", tz: "Etc/GMT+1" });
    const byOffset = await analytics(store, { metric: "fluency", group_by: "day", tz: "-01:00" });
    const inUtc = await analytics(store, { metric: "fluency", group_by: "day" });
    expect(byZone.data).toEqual(byOffset.data);
    expect(byZone.data).not.toEqual(inUtc.data);
    expect(byZone.tz).toBe("-01:00");
  });
});

describe("error patterns recomputed from the stored interactions", () => {
  const inWindow = (days: number) => docs.filter((d) => d.timestamp.getTime() >= FIXED_NOW.getTime() - days * DAY);
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  it("are stored with each pattern's learners and its most frequent (error, correction) pairs", async () => {
    const patterns = await detectPatterns(store, { days: 30 }, FIXED_NOW);
    const expected = new Map<string, { frequency: number; users: Set<string>; pairs: Map<string, { error: string; correction: string; count: number }> }>();
    for (const doc of inWindow(30)) {
      for (const { type, error, correction } of doc.analysis.grammar_errors) {
        const key = `${type}|${doc.analysis.vocabulary_level}`;
        const pattern = expected.get(key) ?? { frequency: 0, users: new Set<string>(), pairs: new Map() };
        expected.set(key, pattern);
        pattern.frequency++;
        pattern.users.add(doc.user_id);
        const pair = pattern.pairs.get(`${error}|${correction}`) ?? { error, correction, count: 0 };
        pattern.pairs.set(`${error}|${correction}`, pair);
        pair.count++;
      }
    }
    // The default minimum frequency is 5.
    expect(patterns).toHaveLength([...expected.values()].filter((pattern) => pattern.frequency >= 5).length);
    for (const pattern of patterns) {
      const want = expected.get(`${pattern.error_type}|${pattern.level}`)!;
      expect(pattern.frequency).toBe(want.frequency);
      expect(pattern.affected_users).toBe(want.users.size);
      expect(pattern.sample_users).toEqual([...want.users].sort(byCodePoint).slice(0, 10));
      const pairs = [...want.pairs.values()].sort((a, b) => b.count - a.count || byCodePoint(a.error, b.error) || byCodePoint(a.correction, b.correction));
      expect(pattern.example_errors).toEqual(pairs.slice(0, 10));
    }
  });

  it("show a learner's latest errors of each type as its examples, newest first", async () => {
    const learner = docs.find((d) => d.analysis.grammar_errors.length > 1)!.user_id;
    const mine = await userPatterns(store, { user_id: learner, days: 30 }, FIXED_NOW);
    const newestFirst = inWindow(30)
      .filter((d) => d.user_id === learner)
      .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
    for (const type of mine.error_types) {
      const latest = newestFirst.flatMap((d) => d.analysis.grammar_errors.filter((e) => e.type === type.error_type).map(({ error, correction }) => ({ error, correction })));
      expect(type.examples).toEqual(latest.slice(0, 5));
    }
  });
});

describe("metrics", () => {
  it("list a model's history newest first, up to the limit, and count a version's entries", async () => {
    const model = "order-model";
    for (const [version, day] of [["v1", 3], ["v2", 2], ["v3", 1]] as const) {
      await logMetrics(store, { model_name: model, version, metrics: { accuracy: 0.8 }, timestamp: new Date(FIXED_NOW.getTime() - day * DAY).toISOString() });
    }
    await logMetrics(store, { model_name: "other-model", version: "v9", metrics: { accuracy: 0.1 } });
    expect((await metricsHistory(store, { model_name: model })).map((m) => m.version)).toEqual(["v3", "v2", "v1"]);
    expect((await metricsHistory(store, { model_name: model, limit: 2 })).map((m) => m.version)).toEqual(["v3", "v2"]);
    expect(await loggedEntries(store, model, "v2")).toBe(1);
    expect(await loggedEntries(store, model, "v9")).toBe(0);
  });

  it("compare the latest entry of each version, and say which is missing", async () => {
    const model = "latest-model";
    await logMetrics(store, { model_name: model, version: "a", metrics: { accuracy: 0.5 }, timestamp: new Date(FIXED_NOW.getTime() - 2 * DAY).toISOString() });
    await logMetrics(store, { model_name: model, version: "a", metrics: { accuracy: 0.9 }, timestamp: new Date(FIXED_NOW.getTime() - DAY).toISOString() });
    await logMetrics(store, { model_name: model, version: "b", metrics: { accuracy: 0.9 } });
    const result = await compareVersions(store, model, "a", "b");
    expect(result.metrics.find((row) => row.metric === "accuracy")).toMatchObject({ base: 0.9, candidate: 0.9, delta: 0 });
    await expect(compareVersions(store, model, "a", "zzz")).rejects.toThrow(`no metrics logged for ${model} zzz`);
  });

  it("stamp an entry with the time given, else the clock", async () => {
    const { metric_id } = await logMetrics(store, { model_name: "clock-model", version: "v1", metrics: { accuracy: 1 } }, { now: FIXED_NOW });
    const [stored] = await metricsHistory(store, { model_name: "clock-model" });
    expect(String(stored!._id)).toBe(metric_id);
    expect(stored!.timestamp).toEqual(FIXED_NOW);
  });
});

describe("progress history", () => {
  it("keeps the learner's snapshots of the window, oldest first", async () => {
    const user_id = "history-learner";
    for (const day of [40, 10, 5]) {
      await saveSnapshot(store, { user_id, level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.5, vocabulary_count: 100, snapshot_date: new Date(FIXED_NOW.getTime() - day * DAY).toISOString() }, FIXED_NOW);
    }
    await saveSnapshot(store, { user_id: "someone-else", level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.5, vocabulary_count: 100 }, FIXED_NOW);
    const history = await progressHistory(store, { user_id, days: 30 }, FIXED_NOW);
    expect(history.map((s) => Math.round((FIXED_NOW.getTime() - s.snapshot_date.getTime()) / DAY))).toEqual([10, 5]);
  });
});

describe("insight inputs and their order", () => {
  it("refuse bad input naming what it was", async () => {
    const refusals: Array<[string, () => Promise<unknown>]> = [
      ["invalid analytics query", () => analytics(store, { metric: "nope" as never })],
      ["invalid model metrics", () => logMetrics(store, {} as never)],
      ["invalid metrics history query", () => metricsHistory(store, {} as never)],
      ["invalid model name", () => loggedEntries(store, "", "v1")],
      ["invalid model name", () => compareVersions(store, "", "a", "b")],
      ["invalid pattern detection options", () => detectPatterns(store, { days: -1 })],
      ["invalid learner pattern query", () => userPatterns(store, {} as never)],
      ["invalid progress snapshot", () => saveSnapshot(store, {} as never)],
      ["invalid progress history query", () => progressHistory(store, {} as never)],
    ];
    for (const [message, call] of refusals) await expect(call(), message).rejects.toThrow(new RegExp(`^${message}\\b`));
  });

  it("tie metrics to a known export only, and replace a version's entries when asked", async () => {
    await expect(logMetrics(store, { model_name: "m-export", version: "v1", metrics: { a: 1 }, export_id: "exp-unknown" })).rejects.toThrow("no export with id exp-unknown");
    await logMetrics(store, { model_name: "m-replace", version: "v1", metrics: { a: 1 } });
    await logMetrics(store, { model_name: "m-replace", version: "v2", metrics: { a: 1 } });
    await logMetrics(store, { model_name: "m-replace", version: "v1", metrics: { a: 2 } }, { replace: true });
    expect(await loggedEntries(store, "m-replace", "v1")).toBe(1);
    expect(await loggedEntries(store, "m-replace", "v2")).toBe(1);
  });

  it("accept a known export and refuse an unknown one while other exports exist", async () => {
    await store.collection(COLLECTIONS.exports).insertOne({ _id: "exp-known", created_at: FIXED_NOW });
    await expect(logMetrics(store, { model_name: "m-known", version: "v1", metrics: { a: 1 }, export_id: "exp-known" })).resolves.toHaveProperty("metric_id");
    await expect(logMetrics(store, { model_name: "m-known", version: "v1", metrics: { a: 1 }, export_id: "exp-other" })).rejects.toThrow("no export with id exp-other (see lexi exports list)");
  });

  it("compare a version's latest entry, and name the metrics both versions logged when a lower-is-better name is unknown", async () => {
    const at = (minutes: number) => new Date(FIXED_NOW.getTime() - minutes * 60_000);
    await logMetrics(store, { model_name: "m-latest", version: "v1", metrics: { a: 2, b: 1 }, timestamp: at(1) });
    await logMetrics(store, { model_name: "m-latest", version: "v1", metrics: { a: 1, b: 1 }, timestamp: at(10) });
    await logMetrics(store, { model_name: "m-latest", version: "v2", metrics: { a: 3, c: 1 }, timestamp: at(5) });
    const comparison = await compareVersions(store, "m-latest", "v1", "v2");
    expect(comparison.metrics.find((m) => m.metric === "a")).toMatchObject({ base: 2, candidate: 3 });
    await expect(compareVersions(store, "m-latest", "v1", "v2", { lowerIsBetter: ["wer"] })).rejects.toThrow("lower-is-better names wer, which neither v1 nor v2 logged; their metrics: a, b, c");
  });

  it("list progress oldest first whatever order the snapshots came in, and trend from the two before", async () => {
    const user_id = "unordered-learner";
    const save = (day: number, fluency: number) =>
      saveSnapshot(store, { user_id, level: "B1", fluency_score_avg: fluency, grammar_accuracy: 0.5, vocabulary_count: 100, snapshot_date: new Date(FIXED_NOW.getTime() - day * DAY).toISOString() }, FIXED_NOW);
    await save(3, 0.5);
    await save(9, 0.4);
    await save(6, 0.45);
    expect((await progressHistory(store, { user_id, days: 30 }, FIXED_NOW)).map((s) => s.fluency_score_avg)).toEqual([0.4, 0.45, 0.5]);
  });

  it("show one learner's error types most frequent first, with the latest examples", async () => {
    const learner = docs.find((d) => d.analysis.grammar_errors.length > 1)!.user_id;
    const mine = await userPatterns(store, { user_id: learner, days: 30 }, FIXED_NOW);
    const counts = mine.error_types.map((t) => t.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(mine.total_errors).toBe(counts.reduce((a, b) => a + b, 0));
    for (const type of mine.error_types) expect(type.examples.length).toBe(Math.min(5, type.count));
  });
});
