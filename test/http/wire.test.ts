/**
 * Each route of the original's wire contract, over real HTTP: its status (200, POSTs included),
 * the JSON shape its clients read (arrays stay arrays), empty answers, the original's parameter
 * bounds, and FastAPI's `detail` in errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitFeedback } from "../../src/services/feedback.js";
import { logInteraction } from "../../src/services/interactions.js";
import { openStore } from "../../src/store/open-store.js";
import { serveForTest, type TestServer } from "../helpers/http.js";
import { interactionWith } from "../helpers/fixtures.js";
import { wireInteractions } from "../helpers/wire-data.js";

const T = "/api/v1/training";
const AI = "/api/v1/ai";
const HEX_ID = /^[0-9a-f]{24}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const isSortedBy = <T>(items: T[], key: (item: T) => number | string, direction: 1 | -1) =>
  items.every((item, i) => i === 0 || (key(items[i - 1]!) <= key(item) ? direction === 1 || key(items[i - 1]!) === key(item) : direction === -1));

describe("the original's routes over real HTTP", () => {
  let server: TestServer;
  const logged: Array<{ interaction_id: string; example_id: string | null }> = [];

  beforeAll(async () => {
    const store = await openStore(":memory:");
    for (const input of wireInteractions(240, 5)) logged.push(await logInteraction(store, input));
    for (const [i, entry] of logged.slice(0, 60).entries()) {
      await submitFeedback(store, { interaction_id: entry.interaction_id, user_id: `fan-${i % 7}`, rating: 3 + (i % 3), helpful: true, accurate: true });
    }
    server = await serveForTest(store);
  });
  afterAll(async () => {
    await server.close();
  });

  describe(`${AI}/interactions`, () => {
    it("POST answers 200 {interaction_id, message}", async () => {
      const answer = await server.send("POST", `${AI}/interactions`, { json: interactionWith({ fluency_score: 0.5 }, 3) });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ interaction_id: expect.stringMatching(HEX_ID), message: "Interaction logged successfully" });
    });

    it("GET user/{id} answers an array, newest first, paged by limit and skip with X-Total-Count and Link", async () => {
      const all = await server.get(`${AI}/interactions/user/learner-0003`);
      expect(all.status).toBe(200);
      expect(Array.isArray(all.json)).toBe(true);
      const total = Number(all.headers.get("x-total-count"));
      expect(all.json.length).toBe(Math.min(total, 100));
      expect(all.json.every((doc: { _id: string; user_id: string; timestamp: string }) => HEX_ID.test(doc._id) && doc.user_id === "learner-0003" && ISO.test(doc.timestamp))).toBe(true);
      expect(isSortedBy(all.json, (doc: { timestamp: string }) => doc.timestamp, -1)).toBe(true);

      const page = await server.get(`${AI}/interactions/user/learner-0003`, { limit: 3, skip: 2 });
      expect(page.json.map((doc: { _id: string }) => doc._id)).toEqual(all.json.slice(2, 5).map((doc: { _id: string }) => doc._id));
      expect(page.headers.get("link")).toBe(
        `<${AI}/interactions/user/learner-0003?limit=3&skip=5>; rel="next", <${AI}/interactions/user/learner-0003?limit=3&skip=0>; rel="prev"`,
      );
    });

    it("GET session/{id} answers the session's interactions oldest first", async () => {
      const some = (await server.get(`${AI}/interactions/user/learner-0001`)).json[0];
      const session = await server.get(`${AI}/interactions/session/${some.session_id}`);
      expect(session.status).toBe(200);
      expect(session.json.length).toBeGreaterThan(0);
      expect(session.json.every((doc: { session_id: string }) => doc.session_id === some.session_id)).toBe(true);
      expect(session.json.map((doc: { _id: string }) => doc._id)).toContain(some._id);
      expect(isSortedBy(session.json, (doc: { timestamp: string }) => doc.timestamp, 1)).toBe(true);
    });

    it("answers [] for a learner or session with nothing", async () => {
      const learner = await server.get(`${AI}/interactions/user/nobody`);
      expect([learner.status, learner.json, learner.headers.get("x-total-count"), learner.headers.get("link")]).toEqual([200, [], "0", null]);
      expect((await server.get(`${AI}/interactions/session/no-session`)).json).toEqual([]);
    });
  });

  describe(`${T}/feedback`, () => {
    it("POST answers 200 {success: true, message}", async () => {
      const answer = await server.send("POST", `${T}/feedback`, { json: { interaction_id: logged[100]!.interaction_id, user_id: "user123", rating: 5, helpful: true, accurate: true, feedback_text: "Great explanation!" } });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ success: true, message: "Feedback submitted successfully. Thank you for helping improve our AI!" });
    });

    it("GET stats answers the original's four keys, all zero when there is no feedback", async () => {
      const stats = await server.get(`${T}/feedback/stats`, { days: 30 });
      expect(stats.status).toBe(200);
      expect(stats.json).toMatchObject({ avg_rating: expect.any(Number), total_feedbacks: 61, helpful_percentage: 100, accurate_percentage: 100 });
      const none = await server.get(`${T}/feedback/stats`, { user_id: "nobody" });
      expect(none.json).toMatchObject({ avg_rating: 0, total_feedbacks: 0, helpful_percentage: 0, accurate_percentage: 0 });
    });
  });

  describe(`${T}/training-queue`, () => {
    it("POST answers 200 {example_id, message}", async () => {
      const plain = logged.findIndex((entry) => entry.example_id === null);
      const answer = await server.send("POST", `${T}/training-queue`, { json: { interaction_id: logged[plain]!.interaction_id, task_types: ["tutor_response"], notes: "kind" } });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ example_id: expect.stringMatching(HEX_ID), message: "Successfully added to training queue" });
    });

    it("GET answers an array of queue documents, best quality first, within the limit", async () => {
      const answer = await server.get(`${T}/training-queue`, { min_quality_score: 0, limit: 15 });
      expect(answer.status).toBe(200);
      expect(answer.json).toHaveLength(15);
      for (const item of answer.json) expect(item).toMatchObject({ _id: expect.stringMatching(HEX_ID), user_input: expect.any(String), task_types: expect.any(Array), quality_score: expect.any(Number), validated: expect.any(Boolean) });
      expect(isSortedBy(answer.json, (item: { quality_score: number }) => item.quality_score, -1)).toBe(true);
      expect((await server.get(`${T}/training-queue`, { task_type: "pronunciation" })).json).toEqual([]);
    });

    it("PUT validate takes query parameters (the code) or a JSON body (the docs); an unknown id is a 404 with detail", async () => {
      const [first, second] = (await server.get(`${T}/training-queue`, { min_quality_score: 0, limit: 2 })).json;
      const byQuery = await server.send("PUT", `${T}/training-queue/${first._id}/validate`, { params: { approved: true, validated_by: "ana", notes: "clear" } });
      expect([byQuery.status, byQuery.json.success, byQuery.json.message]).toEqual([200, true, "Training example validated"]);
      const byBody = await server.send("PUT", `${T}/training-queue/${second._id}/validate`, { json: { approved: false, validated_by: "ana", notes: "vague" } });
      expect([byBody.status, byBody.json.success, byBody.json.message]).toEqual([200, true, "Training example validated"]);
      const listed = await server.get(`${T}/training-queue`, { min_quality_score: 0, validated_only: true, limit: 1000 });
      expect(listed.json.map((item: { _id: string }) => item._id)).toContain(first._id);
      expect(listed.json.map((item: { _id: string }) => item._id)).not.toContain(second._id);
      const unknown = await server.send("PUT", `${T}/training-queue/0123456789abcdef01234567/validate`, { json: { approved: true, validated_by: "ana" } });
      expect(unknown.status).toBe(404);
      expect(unknown.json).toMatchObject({ error: "not_found", detail: unknown.json.message });
    });

    it("names the JSON field, not a CLI flag, when a flagged example is approved without notes", async () => {
      const queued = logged.find((entry, i) => i >= 150 && entry.example_id)!;
      await server.send("POST", `${T}/feedback`, { json: { interaction_id: queued.interaction_id, user_id: "critic", rating: 1 } });
      const refused = await server.send("PUT", `${T}/training-queue/${queued.example_id}/validate`, { json: { approved: true, validated_by: "ana" } });
      expect(refused.status).toBe(400);
      expect(refused.json.detail).toContain("approving clears the flag: notes: add a note saying why the answer is fine");
      expect(refused.json.detail).not.toContain("--");
      expect(refused.json.details).toEqual([{ field: "notes", reason: "add a note saying why the answer is fine" }]);
    });
  });

  describe(`${T}/progress`, () => {
    it("POST snapshot answers 200 {snapshot_id, message}; GET history an array oldest first, [] when there is none", async () => {
      for (const daysAgo of [9, 2, 5]) {
        const snapshot = { user_id: "pupil", snapshot_date: new Date(Date.now() - daysAgo * 86_400_000).toISOString(), level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.7, vocabulary_count: 800, total_interactions: 10, study_streak_days: 2, common_errors: [{ type: "article", count: 3 }] };
        const saved = await server.send("POST", `${T}/progress/snapshot`, { json: snapshot });
        expect(saved.status).toBe(200);
        expect(saved.json).toMatchObject({ snapshot_id: expect.stringMatching(HEX_ID), message: "Progress snapshot saved" });
      }
      const history = await server.get(`${T}/progress/history/pupil`, { days: 7 });
      expect(history.status).toBe(200);
      expect(history.json).toHaveLength(2);
      expect(isSortedBy(history.json, (s: { snapshot_date: string }) => s.snapshot_date, 1)).toBe(true);
      expect(history.json[0]).toMatchObject({ _id: expect.stringMatching(HEX_ID), user_id: "pupil", level: "B1", common_errors: [{ type: "article", count: 3 }] });
      expect((await server.get(`${T}/progress/history/nobody`)).json).toEqual([]);
    });
  });

  describe(`${T}/error-patterns`, () => {
    it("GET answers an array of at most 50 {_id: {type, level}, count, users, examples}, most frequent first", async () => {
      const answer = await server.get(`${T}/error-patterns`, { min_frequency: 2 });
      expect(answer.status).toBe(200);
      expect(answer.json.length).toBeGreaterThan(0);
      expect(answer.json.length).toBeLessThanOrEqual(50);
      expect(Number(answer.headers.get("x-total-count"))).toBeGreaterThanOrEqual(answer.json.length);
      for (const pattern of answer.json) {
        expect(pattern).toMatchObject({ _id: { type: expect.any(String), level: expect.stringMatching(/^[ABC][12]$/) }, count: expect.any(Number), affected_users: expect.any(Number) });
        expect(pattern.users.every((user: unknown) => typeof user === "string")).toBe(true);
        for (const example of pattern.examples) expect(example).toMatchObject({ error: expect.any(String), correction: expect.any(String) });
      }
      expect(isSortedBy(answer.json, (p: { count: number }) => p.count, -1)).toBe(true);
      expect((await server.get(`${T}/error-patterns`, { min_frequency: 1_000_000 })).json).toEqual([]);
    });

    it("GET user/{id} answers an array of {_id: error type, count, examples: [error text]}, most frequent first", async () => {
      const answer = await server.get(`${T}/error-patterns/user/learner-0002`, { days: 30 });
      expect(answer.status).toBe(200);
      expect(answer.json.length).toBeGreaterThan(0);
      for (const type of answer.json) {
        expect(type).toMatchObject({ _id: expect.any(String), count: expect.any(Number) });
        expect(type.examples.every((example: unknown) => typeof example === "string")).toBe(true);
      }
      expect(isSortedBy(answer.json, (t: { count: number }) => t.count, -1)).toBe(true);
      expect((await server.get(`${T}/error-patterns/user/nobody`)).json).toEqual([]);
    });
  });

  describe(`${T}/analytics`, () => {
    it("answers fluency rows {_id: day, avg_score, count} by default, as the original grouped by day", async () => {
      const answer = await server.send("POST", `${T}/analytics`, { json: { metric: "fluency" } });
      expect(answer.status).toBe(200);
      expect(answer.json.metric).toBe("fluency");
      for (const row of answer.json.data) expect(row).toMatchObject({ _id: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), avg_score: expect.any(Number), count: expect.any(Number) });
      expect(answer.json.summary).toMatchObject({ overall_avg: expect.any(Number), min: expect.any(Number), max: expect.any(Number), total_interactions: 241 });
    });

    it("answers grammar rows {_id, total_errors, count} and its summary", async () => {
      const answer = await server.send("POST", `${T}/analytics`, { json: { metric: "grammar", group_by: "month" } });
      for (const row of answer.json.data) expect(row).toMatchObject({ _id: expect.stringMatching(/^\d{4}-\d{2}$/), total_errors: expect.any(Number), count: expect.any(Number) });
      expect(answer.json.summary).toMatchObject({ total_errors: expect.any(Number), total_interactions: 241, avg_errors_per_interaction: expect.any(Number) });
    });

    it("answers [] and a zero summary when nothing matches", async () => {
      const fluency = await server.send("POST", `${T}/analytics`, { json: { metric: "fluency", user_id: "nobody" } });
      expect(fluency.json).toMatchObject({ metric: "fluency", data: [], summary: { overall_avg: 0, min: 0, max: 0, total_interactions: 0 } });
      const grammar = await server.send("POST", `${T}/analytics`, { json: { metric: "grammar", user_id: "nobody" } });
      expect(grammar.json).toMatchObject({ data: [], summary: { total_errors: 0, total_interactions: 0, avg_errors_per_interaction: 0 } });
    });
  });

  describe(`${T}/export/training-data`, () => {
    it("answers {export_id, data: [{input, output, task_types, difficulty_level, quality_score}], record_count, format, message}", async () => {
      const answer = await server.send("POST", `${T}/export/training-data`, { json: { task_types: ["grammar"], format: "jsonl" } });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ export_id: expect.any(String), format: "jsonl", record_count: answer.json.data.length, message: `Exported ${answer.json.data.length} training examples` });
      expect(answer.json.data.length).toBeGreaterThan(0);
      for (const record of answer.json.data) {
        expect(record).toMatchObject({ input: expect.any(String), output: expect.any(Object), task_types: expect.arrayContaining(["grammar"]), difficulty_level: expect.any(String), quality_score: expect.any(Number) });
      }
    });

    it("answers an empty export with data [] and record_count 0, not an error", async () => {
      const answer = await server.send("POST", `${T}/export/training-data`, { json: { task_types: ["pronunciation"] } });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ export_id: "", data: [], record_count: 0, format: "jsonl", message: "Exported 0 training examples" });
    });
  });

  describe(`${T}/metrics/model-performance`, () => {
    it("POST takes name and version as query parameters with {metrics, metadata} as the body (the code), or all in the body (the docs)", async () => {
      const code = await server.send("POST", `${T}/metrics/model-performance`, { params: { model_name: "qwen-unified", version: "v1.2.0" }, json: { metrics: { bleu: 0.41 }, metadata: { epochs: 3 } } });
      expect(code.status).toBe(200);
      expect(code.json).toMatchObject({ metric_id: expect.stringMatching(HEX_ID), message: "Model metrics logged successfully" });
      const docs = await server.send("POST", `${T}/metrics/model-performance`, { json: { model_name: "qwen-unified", version: "v1.3.0", metrics: { bleu: 0.43 }, metadata: { epochs: 4 } } });
      expect(docs.status).toBe(200);
      const history = await server.get(`${T}/metrics/model-performance/qwen-unified`);
      expect(history.status).toBe(200);
      expect(history.json.map((m: { version: string; metrics: object; metadata: object }) => [m.version, m.metrics, m.metadata])).toEqual([
        ["v1.3.0", { bleu: 0.43 }, { epochs: 4 }],
        ["v1.2.0", { bleu: 0.41 }, { epochs: 3 }],
      ]);
      expect(history.json[0]).toMatchObject({ _id: expect.stringMatching(HEX_ID), model_name: "qwen-unified", timestamp: expect.stringMatching(ISO) });
      expect((await server.get(`${T}/metrics/model-performance/unknown-model`)).json).toEqual([]);
    });
  });

  describe("the original's parameter bounds", () => {
    it.each([
      [`${T}/feedback/stats`, { days: 0 }, "days"],
      [`${T}/feedback/stats`, { days: 366 }, "days"],
      [`${T}/progress/history/pupil`, { days: 366 }, "days"],
      [`${T}/error-patterns/user/pupil`, { days: 0 }, "days"],
      [`${T}/training-queue`, { limit: 0 }, "limit"],
      [`${T}/training-queue`, { limit: 1001 }, "limit"],
      [`${T}/training-queue`, { min_quality_score: 1.5 }, "min_quality_score"],
      [`${T}/training-queue`, { min_quality_score: -0.1 }, "min_quality_score"],
      [`${T}/metrics/model-performance/qwen-unified`, { limit: 101 }, "limit"],
      [`${AI}/interactions/user/learner-0001`, { limit: 1001 }, "limit"],
      [`${AI}/interactions/user/learner-0001`, { skip: -1 }, "skip"],
    ])("GET %s?%o is a 400 naming %s", async (path, params, name) => {
      const answer = await server.get(path, params);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: "invalid_input", detail: answer.json.message });
      expect(answer.json.detail).toContain(`${name}: must be`);
      expect(answer.json.details).toEqual([{ field: name, reason: expect.any(String) }]);
    });

    it("accepts the bounds themselves", async () => {
      for (const [path, params] of [
        [`${T}/feedback/stats`, { days: 365 }],
        [`${T}/feedback/stats`, { days: 1 }],
        [`${T}/training-queue`, { limit: 1000, min_quality_score: 1 }],
        [`${T}/training-queue`, { limit: 1, min_quality_score: 0 }],
        [`${T}/metrics/model-performance/qwen-unified`, { limit: 100 }],
      ] as const) {
        expect((await server.get(path, params)).status).toBe(200);
      }
    });
  });
});
