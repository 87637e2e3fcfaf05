/**
 * `lexi serve` under load on loopback (autocannon): feedback submissions per second and p99
 * latency, as a ratio to the same server's no-op route (goal ≥ 0.2x); afterwards the stored
 * feedback rows must equal the 2xx answers. The same load against a hand-written SQL version of
 * the feedback transaction (`raw-feedback-server.ts`) shows what SQLite itself allows here.
 */
import { join } from "node:path";
import autocannon from "autocannon";
import { startServer } from "../src/http/serve.js";
import { logInteraction } from "../src/services/interactions.js";
import { generateDemoData } from "../src/domain/demo-data.js";
import { COLLECTIONS } from "../src/store/collections.js";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/store.js";
import { startRawFeedbackServer } from "./raw-feedback-server.js";
import { type BenchLine, scratchDir } from "./harness.js";

const PING_REQUESTS = 40_000;
const FEEDBACK_REQUESTS = 6000;
const WARM_REQUESTS = 2000;
const WARM_INTERACTIONS = 100;

interface Load {
  result: autocannon.Result;
  /** Answers per second over the exact time to the last answer (autocannon's own rate is sampled per second). */
  rate: number;
}

/** Sends a fixed number of requests and times them to the last answer. */
function load(options: autocannon.Options & { amount: number }): Promise<Load> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let answered = 0;
    let last = start;
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, rate: (answered * 1000) / (last - start) })));
    instance.on("response", () => {
      answered++;
      last = performance.now();
    });
  });
}

async function seedInteractions(store: Store, interactions = 200, seed = 6): Promise<string[]> {
  const ids: string[] = [];
  for (const input of generateDemoData({ users: 20, interactions, days: 10, seed, now: new Date() }).interactions) {
    ids.push((await logInteraction(store, input)).interaction_id);
  }
  return ids;
}

/**
 * A fixed number of feedback posts (not a duration), so every answer is counted before the rows
 * are; each from a new learner, spread over the interactions.
 */
function feedbackLoad(url: string, path: string, ids: string[]): autocannon.Options & { amount: number } {
  let counter = 0;
  return {
    url,
    connections: 10,
    amount: FEEDBACK_REQUESTS,
    requests: [
      {
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        setupRequest: (request) => {
          const n = counter++;
          return { ...request, body: JSON.stringify({ interaction_id: ids[n % ids.length], user_id: `load-${n}`, rating: 1 + (n % 5), helpful: n % 2 === 0, accurate: n % 3 !== 0 }) };
        },
      },
    ],
  };
}

export async function httpBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const store = await openStore(join(dir, "http.db"));
    const ids = await seedInteractions(store);
    const rawStore = await openStore(join(dir, "raw.db"));
    const rawIds = await seedInteractions(rawStore);
    const rawWarmIds = await seedInteractions(rawStore, WARM_INTERACTIONS, 7);
    await rawStore.close();
    const warmIds = await seedInteractions(store, WARM_INTERACTIONS, 7);
    const server = await startServer(store, { host: "127.0.0.1", port: 0, logger: false, rateLimit: 10_000_000 });
    // Both routes run first unmeasured: a cold route's first thousands of requests run unoptimized
    // code (measured cold, the no-op route ranged from 9k to 18k req/s on one machine). The warm-up
    // verdicts go to interactions of their own, so the measured ones start with none.
    await load({ url: `${server.url}/ping`, connections: 10, amount: WARM_REQUESTS });
    await load({ ...feedbackLoad(server.url, "/api/v1/training/feedback", warmIds), amount: WARM_REQUESTS });
    const ping = await load({ url: `${server.url}/ping`, connections: 10, amount: PING_REQUESTS });
    const warmRows = await store.collection(COLLECTIONS.feedback).countDocuments();
    const feedback = await load(feedbackLoad(server.url, "/api/v1/training/feedback", ids));
    const rows = (await store.collection(COLLECTIONS.feedback).countDocuments()) - warmRows;
    await server.close();
    const rawServer = await startRawFeedbackServer(join(dir, "raw.db"));
    await load({ ...feedbackLoad(rawServer.url, "/feedback", rawWarmIds), amount: WARM_REQUESTS });
    const raw = await load(feedbackLoad(rawServer.url, "/feedback", rawIds));
    await rawServer.close();
    const ratio = feedback.rate / ping.rate;
    const ok = feedback.result["2xx"];
    return [
      { name: "feedback vs no-op route: HTTP, embedded, 10 connections", value: `${Math.round(feedback.rate)} req/s, p99 ${feedback.result.latency.p99} ms`, baseline: `${Math.round(ping.rate)} req/s no-op, p99 ${ping.result.latency.p99} ms`, ratio, goal: "≥ 0.2x", pass: ratio >= 0.2 },
      {
        name: "hand-written SQL feedback, group commit, bare fastify (the floor, for reference)",
        value: `${Math.round(raw.rate)} req/s, p99 ${raw.result.latency.p99} ms (lexi: ${(feedback.rate / raw.rate).toFixed(2)}x of it)`,
        baseline: `${Math.round(ping.rate)} req/s no-op`,
        ratio: raw.rate / ping.rate,
        goal: "reference",
        pass: raw.result.non2xx === 0,
      },
      { name: "stored feedback rows vs 2xx answers", value: `${rows} rows`, baseline: `${ok} 2xx (non-2xx: ${feedback.result.non2xx})`, ratio: ok ? rows / ok : 0, goal: "= 1x", pass: rows === ok && feedback.result.non2xx === 0 },
    ];
  } finally {
    cleanup();
  }
}
