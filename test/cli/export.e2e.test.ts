import { spawn } from "node:child_process";
import { existsSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
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

  it("writes a new exports/<export-id>/ folder by default, links exports/latest to it, and summarizes", async () => {
    const result = await lexi(["export", "--task", "grammar"]);
    expect(result.code).toBe(0);
    const id = /^Export (exp-\d{8}T\d{6}-[0-9a-f]{6}): \d+ records from \d+ examples \(raw\)/.exec(result.stdout)?.[1];
    expect(id).toBeTruthy();
    expect(existsSync(join(dir, `exports/${id}/data.jsonl`))).toBe(true);
    expect(readlinkSync(join(dir, "exports/latest"))).toBe(id);
    expect(JSON.parse(readFileSync(join(dir, "exports/latest/manifest.json"), "utf8")).export_id).toBe(id);
    const listed = JSON.parse((await lexi(["exports", "list", "--json"])).stdout);
    expect(listed[0].files[0].path).toBe(`exports/${id}/data.jsonl`);
    const again = await lexi(["export", "--task", "grammar", "--json"]);
    expect(again.code).toBe(0);
    expect(readlinkSync(join(dir, "exports/latest"))).toBe(JSON.parse(again.stdout).export_id);
    expect(existsSync(join(dir, `exports/${id}/data.jsonl`))).toBe(true);
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
    [["--task", "tutor_response"], 3, /no training examples match these filters/],
    [["--since", "2026-13-45"], 2, /since/],
    [["--out", "/dev/null/x/out"], 2, /cannot write to \/dev\/null\/x: ENOTDIR/],
    [["--out", "/dev/null"], 2, /--out \/dev\/null is a device or other special file/],
    [["--out", "export.db"], 2, /is or holds the store/],
    [["--out", "out.jsonl"], 2, /--out names a folder/],
    [["--user", "learner-0012", "--split", "0.8,0.1,0.1", "--split-by", "user"], 2, /only 1 learners match these filters, fewer than the 3 splits requested/],
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
    // The next command that reads the exports undoes what the killed one left.
    expect(JSON.parse((await runLexi(["--db", bigDb, "exports", "list", "--json"], { cwd: dir })).stdout)).toEqual([]);
    const after = await openStore(bigDb);
    expect(await after.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
    expect(await after.collection(COLLECTIONS.exports).countDocuments()).toBe(0);
    await after.close();
  }, 30_000);

  it("links exports to the examples they used", async () => {
    const result = JSON.parse((await lexi(["export", "--task", "vocabulary", "--format", "sharegpt", "--mark-used", "--out", "vocab", "--json"])).stdout);
    const shown = await lexi(["exports", "show", result.export_id]);
    // Every example a record stands for is marked, the duplicates dedup dropped too: none comes back.
    expect(result.counts.dropped_duplicates).toBeGreaterThan(0);
    expect(Number(/examples marked as used by this export: (\d+)/.exec(shown.stdout)?.[1])).toBeGreaterThan(result.counts.examples);
    const next = await lexi(["export", "--task", "vocabulary", "--format", "sharegpt", "--out", "-"]);
    expect(next.code).toBe(3);
    expect(next.stderr).toMatch(/no training examples match these filters \(left out: .*already used/);
    const manifest = JSON.parse(readFileSync(join(dir, "vocab/manifest.json"), "utf8"));
    expect(manifest.marked_used).toBe(true);
  });

  it("refuses to export over another export without --force, and verify finds a changed file (exit 4)", async () => {
    const first = await lexi(["export", "--task", "grammar", "--out", "checked", "--json"]);
    expect(first.code).toBe(0);
    const refused = await lexi(["export", "--task", "grammar", "--out", "checked"]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/holds export exp-.*; add --force to replace it whole/);
    const forced = JSON.parse((await lexi(["export", "--task", "fluency", "--out", "checked", "--force", "--json"])).stdout);
    const ok = await lexi(["exports", "verify", forced.export_id]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("every file matches its manifest and the store's record");
    writeFileSync(join(dir, "checked/data.jsonl"), "{}\n", { flag: "a" });
    const changed = await lexi(["exports", "verify", "checked"]);
    expect(changed.code).toBe(4);
    const records = forced.counts.records as number;
    expect(changed.stdout).toMatch(new RegExp(`data\\.jsonl\\s+│\\s+changed\\s+│\\s+${records + 1} of ${records}`));
    expect(changed.stderr).toMatch(/does not match its files: data\.jsonl is changed/);
    const old = await lexi(["exports", "verify", JSON.parse(first.stdout).export_id]);
    expect(old.code).toBe(4);
    expect(old.stdout).toContain(`the folder now holds export ${forced.export_id}`);
  });

  it("writes the counts of its files in the manifest: records, tasks, learners and examples per split", async () => {
    const result = await lexi(["export", "--format", "raw", "--split", "0.7,0.3", "--split-by", "user", "--min-quality", "0", "--include-used", "--out", "counted"]);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "counted/manifest.json"), "utf8"));
    const store = await openStore(db);
    const learnerOf = new Map((await store.collection(COLLECTIONS.queue).find({}).toArray()).map((item) => [String(item._id), String(item.user_id)]));
    await store.close();
    const perTask: Record<string, number> = {};
    let examples = 0;
    for (const split of ["train", "validation"]) {
      const records = readFileSync(join(dir, `counted/${split}.jsonl`), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { id: string; task_types: string[] });
      expect(manifest.counts.per_split[split]).toBe(records.length);
      expect(manifest.counts.learners_per_split[split]).toBe(new Set(records.map((record) => learnerOf.get(record.id))).size);
      examples += new Set(records.map((record) => record.id)).size;
      for (const { task_types } of records) perTask[[...task_types].sort().join("+")] = (perTask[[...task_types].sort().join("+")] ?? 0) + 1;
    }
    expect(manifest.counts.examples).toBe(examples);
    expect(manifest.counts.records).toBe(manifest.counts.per_split.train + manifest.counts.per_split.validation);
    expect(manifest.counts.per_task).toEqual(perTask);
    expect(manifest.counts.learners_per_split.train).toBeGreaterThan(0);
    expect(manifest.counts.learners_per_split.validation).toBeGreaterThan(0);
  });
});
