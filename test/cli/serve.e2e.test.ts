import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/services/seed.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("lexi serve (built binary)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "serve.db");

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 6, interactions: 120, seed: 3 });
    await store.close();
  });
  afterAll(cleanup);

  it("serves while CLI commands write the same file, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [LEXI_BIN, "serve", "--port", "0", "--db", db], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LEXI_API_KEYS: "" } });
    let logs = "";
    child.stdout.on("data", (chunk) => (logs += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in:\n${logs}`)), 15_000);
      child.stdout.on("data", () => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(logs);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect(logs).toContain("no API keys configured (LEXI_API_KEYS): listening on loopback only");
    const [first] = JSON.parse((await runLexi(["interactions", "list", "--limit", "2", "--json", "--db", db], { cwd: dir })).stdout);
    const [viaHttp, viaCli] = await Promise.all([
      fetch(`${url}/api/v1/training/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ interaction_id: first._id, user_id: "http-learner", rating: 4 }) }),
      runLexi(["feedback", "add", "--interaction", first._id, "--user", "cli-learner", "--rating", "5", "--db", db], { cwd: dir }),
    ]);
    expect(viaHttp.status).toBe(200);
    expect(viaCli.code).toBe(0);
    child.kill("SIGTERM");
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const store = await openStore(db);
    expect(await store.collection(COLLECTIONS.feedback).countDocuments({ user_id: { $in: ["http-learner", "cli-learner"] } })).toBe(2);
    await store.close();
  }, 30_000);

  it("refuses to listen beyond loopback without keys", async () => {
    const result = await runLexi(["serve", "--host", "0.0.0.0", "--port", "0", "--db", db], { cwd: dir, env: { LEXI_API_KEYS: "" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("refusing to listen on 0.0.0.0 without API keys");
  });
});
