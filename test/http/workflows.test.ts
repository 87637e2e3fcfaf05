/**
 * The original's documented clients, step by step, against `lexi serve` over real HTTP. Each test
 * sends what the client sends (query strings as Python's `requests` encodes them, JSON bodies as
 * the docs show) and reads only what the client reads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logInteraction } from "../../src/services/interactions.js";
import type { InteractionInput } from "../../src/schema/interaction.js";
import { openStore } from "../../src/store/open-store.js";
import { serveForTest, type TestServer } from "../helpers/http.js";
import { interactionWith } from "../helpers/fixtures.js";
import { mondayOf, wireInteractions } from "../helpers/wire-data.js";

const BASE = "/api/v1/training";

describe("the original's documented clients run unchanged", () => {
  let server: TestServer;
  let inputs: InteractionInput[];

  beforeAll(async () => {
    const store = await openStore(":memory:");
    inputs = wireInteractions(400, 11);
    for (const input of inputs) await logInteraction(store, input);
    server = await serveForTest(store);
  });
  afterAll(async () => {
    await server.close();
  });

  it("ML engineer: fetch the grammar queue, validate ten, export them, train on data, log metrics", async () => {
    // examples = requests.get(f"{BASE}/training-queue", params={...}).json()
    const queue = await server.get(`${BASE}/training-queue`, { task_type: "grammar", validated_only: false, min_quality_score: 0.8, limit: 1000 });
    expect(queue.status).toBe(200);
    const examples = queue.json as Array<Record<string, any>>;
    expect(examples.length).toBeGreaterThan(10);
    expect(examples.every((example) => example.task_types.includes("grammar") && example.quality_score >= 0.8)).toBe(true);

    // for example in examples[:10]: requests.put(f"{BASE}/training-queue/{example['_id']}/validate", json={...})
    for (const example of examples.slice(0, 10)) {
      const validated = await server.send("PUT", `${BASE}/training-queue/${example._id}/validate`, { json: { approved: true, validated_by: "ml-engineer", notes: "checked" } });
      expect(validated.status).toBe(200);
      expect(validated.json.success).toBe(true);
    }

    // training_data = requests.post(f"{BASE}/export/training-data", json={...}).json(); train_lora(training_data["data"])
    const exported = await server.send("POST", `${BASE}/export/training-data`, { json: { task_types: ["grammar"], validated_only: true, min_quality_score: 0.8, format: "jsonl" } });
    expect(exported.status).toBe(200);
    const trainingData = exported.json.data as Array<Record<string, any>>;
    expect(trainingData.map((record) => record.input).sort()).toEqual(examples.slice(0, 10).map((example) => example.user_input).sort());
    for (const record of trainingData) {
      expect(record.output.tutor_response).toEqual(expect.any(String));
      expect(record.task_types).toContain("grammar");
      expect(record.quality_score).toBeGreaterThanOrEqual(0.8);
    }
    expect(exported.json.record_count).toBe(10);
    expect(exported.json.message).toBe("Exported 10 training examples");

    // requests.post(f"{BASE}/metrics/model-performance", json={"model_name": …, "version": …, "metrics": {...}})
    const logged = await server.send("POST", `${BASE}/metrics/model-performance`, { json: { model_name: "qwen-unified", version: "v1.3.0", metrics: { bleu: 0.41, grammar_f1: 0.87 } } });
    expect(logged.status).toBe(200);
    expect(logged.json.metric_id).toMatch(/^[0-9a-f]{24}$/);
    const history = await server.get(`${BASE}/metrics/model-performance/qwen-unified`);
    expect(history.json[0]).toMatchObject({ version: "v1.3.0", metrics: { bleu: 0.41, grammar_f1: 0.87 } });
  });

  it("dashboard: weekly fluency of one learner since a date, plotted from response['data']", async () => {
    const start = new Date(Date.now() - 14 * 86_400_000);
    const response = await server.send("POST", `${BASE}/analytics`, { json: { user_id: "learner-0004", start_date: start.toISOString(), metric: "fluency", group_by: "week" } });
    expect(response.status).toBe(200);
    const data = response.json.data as Array<{ _id: string; avg_score: number; count: number }>;
    const plotted = data.map((row) => ({ _id: row._id, avg_score: row.avg_score, count: row.count }));

    // The same weeks computed here from the generated interactions: sum / count per Monday.
    const weeks = new Map<string, number[]>();
    for (const input of inputs) {
      const time = input.timestamp as Date;
      if (input.user_id !== "learner-0004" || time < start) continue;
      weeks.set(mondayOf(time), [...(weeks.get(mondayOf(time)) ?? []), input.analysis.fluency_score]);
    }
    const expected = [...weeks.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([week, scores]) => ({ _id: week, avg_score: scores.reduce((a, b) => a + b, 0) / scores.length, count: scores.length }));
    expect(expected.length).toBeGreaterThan(1);
    expect(plotted).toEqual(expected);
    const all = [...weeks.values()].flat();
    expect(response.json.summary).toMatchObject({
      overall_avg: all.reduce((a, b) => a + b, 0) / all.length,
      min: Math.min(...expected.map((row) => row.avg_score)),
      max: Math.max(...expected.map((row) => row.avg_score)),
      total_interactions: all.length,
    });
  });

  it("mobile app: log turns, send feedback, read progress history and the learner's error patterns", async () => {
    const learner = "app-learner-1";
    const errors = [
      [{ type: "article", error: "a apple", correction: "an apple" }],
      [{ type: "article", error: "a egg", correction: "an egg" }, { type: "verb_tense", error: "go", correction: "went" }],
      [{ type: "article", error: "at market", correction: "at the market" }],
    ];
    const ids: string[] = [];
    for (const [i, grammar_errors] of errors.entries()) {
      const turn = { ...interactionWith({ grammar_errors, fluency_score: 0.6 }, 40 + i), user_id: learner, session_id: "app-session-1", timestamp: undefined };
      const answer = await server.send("POST", "/api/v1/ai/interactions", { json: turn });
      expect(answer.status).toBe(200);
      ids.push(answer.json.interaction_id);
    }

    const feedback = await server.send("POST", `${BASE}/feedback`, { json: { interaction_id: ids[0], user_id: learner, rating: 5, helpful: true, accurate: true } });
    expect(feedback.status).toBe(200);
    expect(feedback.json.success).toBe(true);
    expect(feedback.json.message).toBe("Feedback submitted successfully. Thank you for helping improve our AI!");

    for (const [daysAgo, fluency] of [[10, 0.4], [3, 0.55]] as const) {
      const snapshot = { user_id: learner, snapshot_date: new Date(Date.now() - daysAgo * 86_400_000).toISOString(), level: "A2", fluency_score_avg: fluency, grammar_accuracy: 0.6, vocabulary_count: 450, total_interactions: 3, study_streak_days: 4, common_errors: [{ type: "article", count: 3 }] };
      expect((await server.send("POST", `${BASE}/progress/snapshot`, { json: snapshot })).status).toBe(200);
    }
    const progress = await server.get(`${BASE}/progress/history/${learner}`);
    expect(progress.status).toBe(200);
    expect(progress.json.map((s: { fluency_score_avg: number; level: string }) => [s.level, s.fluency_score_avg])).toEqual([["A2", 0.4], ["A2", 0.55]]);

    const patterns = await server.get(`${BASE}/error-patterns/user/${learner}`);
    expect(patterns.status).toBe(200);
    expect(patterns.json.map((p: { _id: string; count: number; examples: string[] }) => [p._id, p.count, [...p.examples].sort()])).toEqual([
      ["article", 3, ["a apple", "a egg", "at market"]],
      ["verb_tense", 1, ["go"]],
    ]);

    const history = await server.get(`/api/v1/ai/interactions/user/${learner}`);
    expect(history.json.map((turn: { _id: string }) => turn._id)).toEqual([...ids].reverse());
    const session = await server.get("/api/v1/ai/interactions/session/app-session-1");
    expect(session.json.map((turn: { _id: string }) => turn._id)).toEqual(ids);
  });
});
