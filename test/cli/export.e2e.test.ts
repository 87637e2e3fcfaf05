import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { seedDemoData } from "../../src/services/seed.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("lexi export (built binary)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "export.db");
  const lexi = (args: string[]) => runLexi(["--db", db, ...args], { cwd: dir });

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 20, interactions: 1500, seed: 21 });
    await store.close();
  });
  afterAll(cleanup);

  it("writes exports/<task>.<format>.jsonl by default and summarizes", async () => {
    const result = await lexi(["export", "--task", "grammar"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Export exp-\d{8}T\d{6}-[0-9a-f]{6}: \d+ records from \d+ examples \(raw\)/);
    expect(existsSync(join(dir, "exports/grammar.raw.jsonl"))).toBe(true);
    expect(existsSync(join(dir, "exports/grammar.raw.manifest.json"))).toBe(true);
    const listed = JSON.parse((await lexi(["exports", "list", "--json"])).stdout);
    expect(listed[0].files[0].path).toBe("exports/grammar.raw.jsonl");
  });

  it("puts nothing but data on stdout with --out -, and the summary on stderr", async () => {
    const result = await lexi(["export", "--task", "fluency", "--format", "openai", "--out", "-", "--limit", "20"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(20);
    for (const line of lines) expect(JSON.parse(line).messages).toHaveLength(3);
    expect(result.stderr).toContain("20 records");
  });

  it.each([
    [["--format", "csv"], 2, /format/],
    [["--split", "0.9,0.2"], 2, /--split ratios must add up to 1/],
    [["--task", "pronunciation"], 3, /no training examples match these filters/],
    [["--since", "2026-13-45"], 2, /since/],
    [["--out", "/dev/null/x/out.jsonl"], 2, /cannot write to \/dev\/null\/x: ENOTDIR/],
    [["--split", "0.5,0.5", "--out", "-"], 2, /splits need a directory/],
  ])("refuses %j with exit %i and one clear line", async (flags, code, message) => {
    const result = await lexi(["export", ...flags]);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("marks nothing and records no export when killed mid-way", async () => {
    // A queue large enough that its export cannot fit in a pipe's buffer.
    const bigDb = join(dir, "big.db");
    const store = await openStore(bigDb);
    const now = new Date();
    const [base] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 1, now }).interactions;
    const interaction = buildInteractionDoc(InteractionInput.parse(base), now);
    const items = Array.from({ length: 30_000 }, (_, i) => buildQueueItem({ ...interaction, _id: `big-${i}` }, { tasks: ["grammar"], quality: 0.9, origin: "auto", now }));
    await store.collection(COLLECTIONS.queue).insertMany(items);
    await store.close();
    const child = spawn(process.execPath, [LEXI_BIN, "--db", bigDb, "export", "--out", "-", "--no-dedup", "--mark-used"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    // Nobody reads stdout: once the pipe is full the export is stuck mid-way, waiting for its reader.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const exited = new Promise((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const after = await openStore(bigDb);
    expect(await after.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
    expect(await after.collection(COLLECTIONS.exports).countDocuments()).toBe(0);
    await after.close();
  }, 30_000);

  it("links exports to the examples they used", async () => {
    const result = JSON.parse((await lexi(["export", "--task", "vocabulary", "--format", "sharegpt", "--mark-used", "--out", "vocab.jsonl", "--json"])).stdout);
    const shown = await lexi(["exports", "show", result._id]);
    expect(shown.stdout).toContain(`examples marked as used by this export: ${result.counts.examples}`);
    const manifest = JSON.parse(readFileSync(join(dir, "vocab.manifest.json"), "utf8"));
    expect(manifest.marked_used).toBe(true);
  });
});
