/**
 * `lexi serve` under load on loopback (autocannon): feedback submissions per second and p99
 * latency, as a ratio to the same server's no-op route (goal ≥ 0.4x); afterwards the stored
 * feedback rows must equal the 2xx answers.
 */
import { join } from "node:path";
import autocannon from "autocannon";
import { startServer } from "../src/http/serve.js";
import { logInteraction } from "../src/services/interactions.js";
import { generateDemoData } from "../src/domain/demo-data.js";
import { COLLECTIONS } from "../src/store/collections.js";
import { openStore } from "../src/store/open-store.js";
import { type BenchLine, scratchDir } from "./harness.js";

const DURATION_S = 6;
const FEEDBACK_REQUESTS = 4000;

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function httpBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const store = await openStore(join(dir, "http.db"));
    const ids: string[] = [];
    for (const input of generateDemoData({ users: 20, interactions: 200, days: 10, seed: 6, now: new Date() }).interactions) {
      ids.push((await logInteraction(store, input)).interaction_id);
    }
    const server = await startServer(store, { host: "127.0.0.1", port: 0, logger: false, rateLimit: 10_000_000 });
    const ping = await load({ url: `${server.url}/ping`, connections: 10, duration: DURATION_S });
    let counter = 0;
    // A fixed number of requests (not a duration), so every answer is counted before the rows are.
    const feedback = await load({
      url: server.url,
      connections: 10,
      amount: FEEDBACK_REQUESTS,
      requests: [
        {
          method: "POST",
          path: "/api/v1/training/feedback",
          headers: { "content-type": "application/json" },
          setupRequest: (request) => {
            const n = counter++;
            return { ...request, body: JSON.stringify({ interaction_id: ids[n % ids.length], user_id: `load-${n}`, rating: 1 + (n % 5), helpful: n % 2 === 0, accurate: n % 3 !== 0 }) };
          },
        },
      ],
    });
    const rows = await store.collection(COLLECTIONS.feedback).countDocuments();
    await server.close();
    const ratio = feedback.requests.average / ping.requests.average;
    const ok = feedback["2xx"];
    return [
      { name: "HTTP feedback submissions (embedded, 10 connections)", value: `${Math.round(feedback.requests.average)} req/s, p99 ${feedback.latency.p99} ms`, baseline: `${Math.round(ping.requests.average)} req/s no-op, p99 ${ping.latency.p99} ms`, ratio, goal: "≥ 0.4x", pass: ratio >= 0.4 },
      { name: "stored feedback rows vs 2xx answers", value: `${rows} rows`, baseline: `${ok} 2xx (non-2xx: ${feedback.non2xx})`, ratio: ok ? rows / ok : 0, goal: "= 1x", pass: rows === ok && feedback.non2xx === 0 },
    ];
  } finally {
    cleanup();
  }
}
