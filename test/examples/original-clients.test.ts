/**
 * examples/original-clients.py: the original service's documented clients (ML engineer,
 * dashboard, mobile app), run unchanged by Python against a real `lexi serve` process.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, ROOT, requireBuild, tempDir } from "../helpers/cli.js";

const SCRIPT = join(ROOT, "examples/original-clients.py");
const python = spawnSync("python3", ["--version"]).status === 0;

describe("examples/original-clients.py", () => {
  const { dir, cleanup } = tempDir("lexi-clients-");
  const db = join(dir, "clients.db");
  const keys = { admin: randomBytes(32).toString("hex"), app: randomBytes(32).toString("hex") };
  let server: ChildProcess | undefined;
  let url = "";

  beforeAll(async () => {
    if (!python) return;
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 6, interactions: 200, seed: 8 });
    await store.close();
    server = spawn(process.execPath, [LEXI_BIN, "--db", db, "serve", "--port", "0"], { cwd: dir, env: { ...process.env, LEXI_DB: "", LEXI_API_KEYS: `admin:${keys.admin},app:${keys.app}` }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    server.stdout!.on("data", (chunk) => (log += chunk));
    while (!/listening at (http:\/\/[\d.:]+)/.test(log)) await Promise.race([once(server.stdout!, "data"), once(server, "exit").then(() => Promise.reject(new Error(`lexi serve exited: ${log}`)))]);
    url = /listening at (http:\/\/[\d.:]+)/.exec(log)![1]!;
  }, 60_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await once(server, "exit");
    }
    cleanup();
  });

  it("runs the three documented workflows and reads every answer as the original's clients did", () => {
    if (!python) {
      console.log("skipped: python3 is not installed");
      return;
    }
    const run = spawnSync("python3", [SCRIPT, "learner-0001"], { cwd: dir, encoding: "utf8", env: { ...process.env, LEXI_URL: url, LEXI_ADMIN_KEY: keys.admin, LEXI_APP_KEY: keys.app } });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ml engineer: \d+ grammar examples queued, 10 validated, [1-9]\d* exported, metrics [0-9a-f]{24}$/m);
    expect(run.stdout).toMatch(/^dashboard: [1-9]\d* weeks of fluency for learner-0001$/m);
    expect(run.stdout).toMatch(/^mobile app: turn [0-9a-f]{24} logged and rated, 1 progress snapshots, error types \['article', 'verb_tense'\], 1 turns$/m);
  });

  it("fails loudly when the server answers what the original's clients cannot read", () => {
    if (!python) {
      console.log("skipped: python3 is not installed");
      return;
    }
    const run = spawnSync("python3", [SCRIPT], { cwd: dir, encoding: "utf8", env: { ...process.env, LEXI_URL: url, LEXI_ADMIN_KEY: keys.app, LEXI_APP_KEY: keys.app } });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("HTTP Error 403");
  });
});
