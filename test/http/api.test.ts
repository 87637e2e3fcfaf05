import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/http/serve.js";
import type { InteractionDoc } from "../../src/schema/interaction.js";
import { logInteraction } from "../../src/services/interactions.js";
import { seedDemoData } from "../../src/services/seed.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { referenceAnalytics } from "../helpers/analytics-reference.js";
import { interactionWith } from "../helpers/fixtures.js";

const ADMIN = "admin-key-0123456789-abcdefghijklmnop";
const APP = "app-key-0123456789-qrstuvwxyzABCDEF";
const T = "/api/v1/training";

describe("lexi serve over real HTTP", () => {
  let store: Store;
  let server: RunningServer;
  let logs = "";

  const call = async (method: string, path: string, options: { body?: unknown; key?: string | null; raw?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? ADMIN : options.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (options.body !== undefined || options.raw !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${server.url}${path}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  };

  beforeAll(async () => {
    store = await openStore(":memory:");
    await seedDemoData(store, { users: 12, interactions: 400, seed: 4 });
    const logStream = new PassThrough();
    logStream.on("data", (chunk) => (logs += chunk));
    server = await startServer(store, { host: "127.0.0.1", port: 0, apiKeys: `admin:${ADMIN},app:${APP}`, logStream, rateLimit: 100_000 });
  });
  afterAll(async () => {
    await server.close();
  });

  describe("authentication", () => {
    it("leaves /health and /docs open and checks the store", async () => {
      expect((await call("GET", "/health", { key: null })).json).toEqual({ status: "ok", engine: "embedded" });
      const docs = await call("GET", "/docs/json", { key: null });
      expect(docs.json.paths[`${T}/feedback`].post.requestBody).toBeTruthy();
      expect((await call("GET", "/docs/", { key: null })).status).toBe(200);
    });

    it("answers 401 without a key, 403 with an app key on an admin route, and never logs keys", async () => {
      const none = await call("GET", `${T}/feedback/stats`, { key: null });
      expect(none.status).toBe(401);
      expect(none.json.error).toBe("unauthorized");
      expect((await call("GET", `${T}/feedback/stats`, { key: "wrong-key-123456" })).status).toBe(401);
      const app = await call("GET", `${T}/feedback/stats`, { key: APP });
      expect(app.status).toBe(403);
      expect(app.json.error).toBe("forbidden");
      expect((await call("GET", `${T}/progress/history/learner-0001`, { key: APP })).status).toBe(200);
      expect((await call("GET", `${T}/feedback/stats`, { headers: { "x-api-key": ADMIN }, key: null })).status).toBe(200);
      expect(logs).toContain("request completed");
      expect(logs).not.toContain(ADMIN);
      expect(logs).not.toContain(APP);
    });
  });

  describe("the original's routes", () => {
    let interactionId: string;

    it("logs an interaction and runs auto-queue", async () => {
      const input = interactionWith({ grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], fluency_score: 0.8, vocabulary_level: "B1" }, 77);
      const result = await call("POST", "/api/v1/ai/interactions", { body: input, key: APP });
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ message: "Interaction logged successfully", queued: true, task_types: ["grammar", "fluency"] });
      interactionId = result.json.interaction_id;
    });

    it("takes the seed's curl feedback example: 400 for its malformed id, success with a real one", async () => {
      const example = { interaction_id: "67890abcdef", user_id: "user123", rating: 5, helpful: true, accurate: true, feedback_text: "Great explanation!" };
      const bad = await call("POST", `${T}/feedback`, { body: example, key: APP });
      expect(bad.status).toBe(400);
      expect(bad.json.message).toContain("interaction_id: looks like an ObjectId");
      const good = await call("POST", `${T}/feedback`, { body: { ...example, interaction_id: interactionId }, key: APP });
      expect(good.status).toBe(200);
      expect(good.json).toMatchObject({ success: true, quality_score: 1, flagged: false });
      expect((await call("POST", `${T}/feedback`, { body: { ...example, interaction_id: "0123456789abcdef01234567" }, key: APP })).status).toBe(404);
    });

    it("accepts keys the original did not know, as it did, and names them in unknown_fields", async () => {
      const answer = await call("POST", `${T}/feedback`, { body: { interaction_id: interactionId, user_id: "typo-user", rating: 4, text: "nice" }, key: APP });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ success: true, unknown_fields: ["text: unknown field; did you mean feedback_text?"] });
      const snapshot = { user_id: "typo-user", level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.5, vocabulary_count: 10, streak: 3 };
      const saved = await call("POST", `${T}/progress/snapshot`, { body: snapshot, key: APP });
      expect(saved.status).toBe(200);
      expect(saved.json.unknown_fields).toEqual(["streak: unknown field; did you mean study_streak_days?"]);
      const clean = await call("POST", `${T}/feedback`, { body: { interaction_id: interactionId, user_id: "typo-user", rating: 4, feedback_text: "nice" }, key: APP });
      expect(clean.json).not.toHaveProperty("unknown_fields");
    });

    it("reports feedback statistics with the original's names", async () => {
      const stats = await call("GET", `${T}/feedback/stats?user_id=user123&days=30`);
      expect(stats.json).toMatchObject({ total_feedbacks: 1, avg_rating: 5, helpful_percentage: 100, accurate_percentage: 100 });
      expect((await call("GET", `${T}/feedback/stats?days=soon`)).status).toBe(400);
    });

    it("adds to the queue once (409 the second time), lists with statuses, validates by body or query", async () => {
      const plain = await logInteraction(store, interactionWith({ grammar_errors: [], fluency_score: 0.2, vocabulary_level: "A1" }, 78));
      const added = await call("POST", `${T}/training-queue`, { body: { interaction_id: plain.interaction_id, task_types: ["tutor_response"], notes: "kind answer" } });
      expect(added.status).toBe(200);
      const again = await call("POST", `${T}/training-queue`, { body: { interaction_id: plain.interaction_id, task_types: ["grammar"] } });
      expect(again.status).toBe(409);
      expect(again.json.message).toContain(`already queued as example ${added.json.example_id}`);
      const id = added.json.example_id;
      const byQuery = await call("PUT", `${T}/training-queue/${id}/validate?approved=false&validated_by=ana&notes=too%20short`);
      expect(byQuery.json).toMatchObject({ success: true, status: "rejected", validated: false });
      const byBody = await call("PUT", `${T}/training-queue/${id}/validate`, { body: { approved: true, validated_by: "ana", notes: "fine after all" } });
      expect(byBody.json).toMatchObject({ success: true, status: "approved", validated: true });
      const listed = await call("GET", `${T}/training-queue?task_type=tutor_response&validated_only=true&min_quality_score=0.5`);
      expect(listed.json.map((e: { _id: string }) => e._id)).toEqual([id]);
      expect((await call("GET", `${T}/training-queue?status=rejected&min_quality_score=0`)).json.every((e: { status: string }) => e.status === "rejected")).toBe(true);
      expect((await call("PUT", `${T}/training-queue/${id}/validate?approved=maybe&validated_by=ana`)).status).toBe(400);
      expect((await call("PUT", `${T}/training-queue/0123456789abcdef01234567/validate`, { body: { approved: true, validated_by: "ana" } })).status).toBe(404);
    });

    it("saves progress snapshots and returns the history oldest first", async () => {
      for (const [daysAgo, fluency] of [[20, 0.4], [13, 0.45], [6, 0.6]] as const) {
        const date = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
        const saved = await call("POST", `${T}/progress/snapshot`, { body: { user_id: "http-user", snapshot_date: date, level: "A2", fluency_score_avg: fluency, grammar_accuracy: 0.6, vocabulary_count: 500 }, key: APP });
        expect(saved.status).toBe(200);
      }
      const history = await call("GET", `${T}/progress/history/http-user?days=30`, { key: APP });
      expect(history.json.map((s: { improvement_trend: string }) => s.improvement_trend)).toEqual(["stable", "stable", "improving"]);
    });

    it("detects error patterns and a learner's errors", async () => {
      // Counted here by (type, level) over the interactions of the last 365 days.
      const counts = new Map<string, number>();
      const since = new Date(Date.now() - 365 * 86_400_000);
      for (const doc of await store.collection<InteractionDoc>(COLLECTIONS.interactions).find({ timestamp: { $gte: since } }).toArray()) {
        for (const error of doc.analysis.grammar_errors) counts.set(`${error.type} ${doc.analysis.vocabulary_level}`, (counts.get(`${error.type} ${doc.analysis.vocabulary_level}`) ?? 0) + 1);
      }
      const frequencies = [...counts.values()].sort((a, b) => a - b);
      const minFrequency = frequencies[Math.floor(frequencies.length / 2)]!;
      const expected = [...counts].filter(([, n]) => n >= minFrequency).map(([key, n]) => `${key} ${n}`);
      expect(expected.length).toBeLessThan(counts.size);
      expect(expected.length).toBeLessThanOrEqual(50);
      const patterns = await call("GET", `${T}/error-patterns?min_frequency=${minFrequency}&days=365`);
      const found = patterns.json.map((p: { _id: { type: string; level: string }; count: number }) => `${p._id.type} ${p._id.level} ${p.count}`);
      expect(found.sort()).toEqual(expected.sort());
      expect(patterns.json.map((p: { count: number }) => p.count)).toEqual([...patterns.json.map((p: { count: number }) => p.count)].sort((a, b) => b - a));
      const learner = await call("GET", `${T}/error-patterns/user/learner-0002?days=30`, { key: APP });
      expect(learner.json.length).toBeGreaterThan(0);
      expect((await call("GET", `${T}/error-patterns?min_frequency=-1`)).status).toBe(400);
    });

    it("answers analytics as {metric, data, summary}, and refuses unknown metrics and groupings", async () => {
      const result = await call("POST", `${T}/analytics`, { body: { metric: "engagement", group_by: "week" } });
      expect(result.json).toMatchObject({ metric: "engagement", group_by: "week" });
      const docs = await store.collection<InteractionDoc>(COLLECTIONS.interactions).find({}).toArray();
      const expected = referenceAnalytics(docs, "engagement", "week", "UTC").map(({ group, interactions, ...values }) => ({ _id: group, count: interactions, ...values }));
      expect(result.json.data).toEqual(expected);
      expect((await call("POST", `${T}/analytics`, { body: { metric: "joy" } })).status).toBe(400);
      expect((await call("POST", `${T}/analytics`, { body: { metric: "fluency", group_by: "year" } })).status).toBe(400);
    });

    it("exports training data inline and as a stream", async () => {
      const inline = await call("POST", `${T}/export/training-data`, { body: { task_types: ["grammar"], format: "jsonl" } });
      expect(inline.status).toBe(200);
      expect(Object.keys(inline.json.data[0])).toEqual(["id", "input", "output", "task_types", "difficulty_level", "quality_score"]);
      expect(inline.json.record_count).toBe(inline.json.data.length);
      const stream = await call("GET", `${T}/export/training-data.jsonl?task_type=grammar&format=openai&limit=5`);
      expect(stream.headers.get("content-type")).toContain("application/x-ndjson");
      const lines = stream.text.trim().split("\n").map((line) => JSON.parse(line));
      expect(lines).toHaveLength(5);
      expect(lines[0].messages[2].role).toBe("assistant");
      const empty = await call("GET", `${T}/export/training-data.jsonl?task_type=pronunciation`);
      expect(empty.status).toBe(404);
      expect(empty.json.error).toBe("not_found");
      expect((await call("GET", `${T}/export/training-data.jsonl?format=csv`)).status).toBe(400);
    });

    it("adds a share of clean grammar examples when the export asks for one", async () => {
      const inline = await call("POST", `${T}/export/training-data`, { body: { task_types: ["grammar"], format: "openai", clean_share: 0.25 } });
      expect(inline.status).toBe(200);
      const clean = inline.json.data.filter((line: { messages: Array<{ content: string }> }) => JSON.parse(line.messages[2]!.content).grammar_errors.length === 0);
      expect(clean.length).toBeGreaterThan(0);
      expect(inline.json.counts.clean).toMatchObject({ records: clean.length, share: 0.25 });
      expect(Math.abs(clean.length / inline.json.record_count - 0.25)).toBeLessThanOrEqual(0.5 / inline.json.record_count + 1e-9);
      const stream = await call("GET", `${T}/export/training-data.jsonl?task_type=grammar&format=alpaca&clean_share=0.25`);
      expect(stream.text.trim().split("\n").filter((line) => JSON.parse(JSON.parse(line).output).grammar_errors.length === 0)).toHaveLength(clean.length);
      const raw = await call("POST", `${T}/export/training-data`, { body: { format: "jsonl", clean_share: 0.25 } });
      expect(raw.status).toBe(400);
      expect(raw.json.message).toContain("clean examples are grammar records of a chat format");
    });

    it("logs model metrics from a body or from query parameters, and lists them newest first", async () => {
      const body = await call("POST", `${T}/metrics/model-performance`, { body: { model_name: "qwen-unified", version: "v2.0.0", metrics: { bleu: 0.44 }, metadata: { epochs: 3 } } });
      expect(body.status).toBe(200);
      const query = await call("POST", `${T}/metrics/model-performance?model_name=qwen-unified&version=v2.1.0`, { body: { metrics: { bleu: 0.45 } } });
      expect(query.status).toBe(200);
      const history = await call("GET", `${T}/metrics/model-performance/qwen-unified?limit=2`);
      expect(history.json.map((h: { version: string }) => h.version)).toEqual(["v2.1.0", "v2.0.0"]);
      expect((await call("POST", `${T}/metrics/model-performance`, { body: { model_name: "m", version: "v", metrics: { bleu: "abc" } } })).status).toBe(400);
    });
  });

  describe("bad input", () => {
    it("refuses operator objects where a value belongs", async () => {
      const result = await call("POST", `${T}/feedback`, { body: { interaction_id: { $gt: "" }, user_id: "u", rating: 5 }, key: APP });
      expect(result.status).toBe(400);
      expect((await call("GET", `${T}/feedback/stats?user_id[$ne]=x`)).status).toBe(400);
    });

    it("answers broken JSON, unknown routes and a 1.1 MB body with JSON errors", async () => {
      const broken = await call("POST", `${T}/feedback`, { raw: '{"rating": 5', key: APP });
      expect(broken.status).toBe(400);
      expect(broken.json.error).toBe("invalid_input");
      const missing = await call("GET", "/api/v1/nothing");
      expect(missing.status).toBe(404);
      expect(missing.json.error).toBe("not_found");
      const big = await call("POST", `${T}/feedback`, { raw: JSON.stringify({ interaction_id: "x", user_id: "u", rating: 5, feedback_text: "x".repeat(1_150_000) }), key: APP });
      expect(big.status).toBe(413);
      expect(big.json.error).toBe("payload_too_large");
    });
  });

  it("keeps one feedback row per learner and interaction under a concurrent burst, losing no write", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await logInteraction(store, interactionWith({ fluency_score: 0.5 }, 200 + i))).interaction_id);
    const requests = [];
    for (const id of ids) for (let u = 0; u < 5; u++) for (let repeat = 0; repeat < 2; repeat++) requests.push({ interaction_id: id, user_id: `burst-${u}`, rating: 1 + ((u + repeat) % 5) });
    const answers = await Promise.all(requests.map((body) => call("POST", `${T}/feedback`, { body, key: APP })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const rows = await store.collection(COLLECTIONS.feedback).find({ user_id: { $regex: "^burst-" } }).toArray();
    expect(rows).toHaveLength(40);
    const replaced = answers.filter((a) => a.json.replaced).length;
    expect(replaced).toBe(40);
  });
});

describe("serve safety", () => {
  it("refuses a non-loopback address without keys", async () => {
    const store = await openStore(":memory:");
    await expect(startServer(store, { host: "0.0.0.0", port: 0, logger: false })).rejects.toThrow(/refusing to listen on 0.0.0.0 without API keys/);
    await store.close();
  });

  it("rate-limits per key with a 429 JSON answer", async () => {
    const store = await openStore(":memory:");
    const server = await startServer(store, { host: "127.0.0.1", port: 0, logger: false, rateLimit: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${server.url}/ping`)).status);
    const limited = await fetch(`${server.url}/ping`);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error).toBe("rate_limited");
    await server.close();
  });

  it("lets in-flight requests finish on shutdown, then closes the store", async () => {
    const store = await openStore(":memory:");
    await seedDemoData(store, { users: 5, interactions: 200, seed: 2 });
    // Shut down only once the export's handler uses the store: the request is then in flight.
    let started = false;
    let handlerRunning!: () => void;
    const inFlight = new Promise<void>((resolve) => (handlerRunning = resolve));
    const observed = new Proxy(store, {
      get: (target, prop) => {
        if (started) handlerRunning();
        const value: unknown = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const server = await startServer(observed, { host: "127.0.0.1", port: 0, logger: false });
    started = true;
    const pending = fetch(`${server.url}${T}/export/training-data`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ min_quality_score: 0 }) });
    await inFlight;
    const closing = server.close();
    const response = await pending;
    expect(response.status).toBe(200);
    expect((await response.json()).record_count).toBeGreaterThan(0);
    await closing;
    await expect(store.collection(COLLECTIONS.queue).countDocuments()).rejects.toThrow();
  });
});
