/**
 * The streaming export over real HTTP when the client goes away mid-stream: the export stops,
 * its staging folder is removed, and nothing is recorded or marked.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { startServer, type RunningServer } from "../../src/http/serve.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/fixtures.js";

const ADMIN = "admin-key-0123456789-abcdefghijklmnop";
const { dir, cleanup } = tempDir();
const tmp = join(dir, "tmp");

describe("GET /export/training-data.jsonl when the client drops the stream", () => {
  let store: Store;
  let server: RunningServer;

  beforeAll(async () => {
    // This file's own temp directory (a forked worker), so its staging folders are visible here alone.
    mkdirSync(tmp);
    process.env.TMPDIR = tmp;
    store = await openStore(":memory:");
    const [base] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 2, now: FIXED_NOW }).interactions;
    const interaction = buildInteractionDoc(InteractionInput.parse(base), FIXED_NOW);
    const items = Array.from({ length: 20_000 }, (_, i) => ({
      ...buildQueueItem({ ...interaction, _id: `src-${i}` }, { tasks: ["grammar"], quality: 0.9, origin: "auto", now: FIXED_NOW }),
      _id: `q-${i}`,
      user_id: `learner-${i % 50}`,
      user_input: `Sentence ${i} with enough words to make the stream outgrow every buffer on its way.`,
    }));
    await store.collection(COLLECTIONS.queue).insertMany(items as never);
    server = await startServer(store, { host: "127.0.0.1", port: 0, apiKeys: `admin:${ADMIN}`, rateLimit: 100_000 });
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await store.close();
    cleanup();
  });

  it("stops the export, removes its staging and keeps nothing", async () => {
    const url = new URL(`${server.url}/api/v1/training/export/training-data.jsonl?mark_used=true&dedup=false`);
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { headers: { authorization: `Bearer ${ADMIN}` } }, (response) => {
        expect(response.statusCode).toBe(200);
        response.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    const deadline = Date.now() + 20_000;
    let left: { staging: string[]; records: number } = { staging: [], records: -1 };
    while (Date.now() < deadline) {
      left = { staging: readdirSync(tmp).filter((name) => name.startsWith("lexi-export-")), records: await store.collection(COLLECTIONS.exports).countDocuments() };
      if (left.staging.length === 0 && left.records === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(left).toEqual({ staging: [], records: 0 });
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
  }, 60_000);
});
