import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError, NotFoundError } from "../../src/errors.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { getExport } from "../../src/services/exports.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { logInteraction } from "../../src/services/interactions.js";
import { listQueue, validateExample } from "../../src/services/queue.js";
import { seedDemoData } from "../../src/services/seed.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { FIXED_NOW, interactionWith } from "../helpers/fixtures.js";
import { dataFiles } from "../helpers/export-files.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let store: Store;
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((line) => JSON.parse(line));
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

beforeEach(async () => {
  store = await openStore(":memory:");
  await seedDemoData(store, { users: 30, interactions: 800, seed: 11 }, undefined, FIXED_NOW);
});
afterEach(async () => {
  await store.close();
});

describe("exportDataset", () => {
  it("writes only matching, exportable examples and a manifest with counts and checksums", async () => {
    const path = out("grammar");
    const result = await exportDataset(store, { task_types: ["grammar"], format: "openai" }, { path });
    const records = lines(join(path, "data.jsonl"));
    expect(records).toHaveLength(result.counts.records);
    expect({ ...result.counts.per_task }).toEqual({ grammar: records.length });
    expect(dataFiles(path)).toEqual(["data.jsonl", "manifest.json"]);
    const manifest = JSON.parse(readFileSync(join(path, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ export_id: result._id, engine: "embedded", format: "openai", counts: JSON.parse(JSON.stringify(result.counts)) });
    expect(manifest.files[0]).toMatchObject({ file: "data.jsonl", sha256: sha(join(path, "data.jsonl")), records: records.length });
    expect(result.state).toBe("complete");
    const flagged = await store.collection(COLLECTIONS.queue).countDocuments({ status: "flagged", task_types: "grammar", quality_score: { $gte: 0.7 } });
    expect(result.counts.excluded.flagged).toBe(flagged);
    expect(flagged).toBeGreaterThan(0);
    const stored = await getExport(store, result._id);
    expect(stored.files).toEqual(result.files);
  });

  it("never exports rejected or flagged examples", async () => {
    const [first, second, third] = await listQueue(store, { status: "pending", task_types: ["grammar"] });
    await validateExample(store, { example_id: String(first!._id), approved: false, validated_by: "ana" });
    // A top rating with a reported issue: flagged, yet its quality (1) passes every quality filter.
    const flagged = await submitFeedback(store, { interaction_id: String(second!.source_interaction_id), user_id: "u9", rating: 5, helpful: true, accurate: true, reported_issues: ["wrong_correction"] });
    expect(flagged).toMatchObject({ flagged: true, quality_score: 1 });
    const path = out("raw");
    await exportDataset(store, { task_types: ["grammar"], dedup: false, min_quality_score: 0 }, { path });
    const ids = lines(join(path, "data.jsonl")).map((r) => r.id);
    expect(ids).not.toContain(String(first!._id));
    expect(ids).not.toContain(String(second!._id));
    expect(ids).toContain(String(third!._id));
  });

  it("drops repeated learner texts per task, keeping the best quality one", async () => {
    const text = interactionWith({ grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }], fluency_score: 0.9 }, 3);
    const low = await logInteraction(store, { ...text, _id: "dup-low", user_input: { ...text.user_input, text: "I ate a apple." } });
    const high = await logInteraction(store, { ...text, _id: "dup-high", user_input: { ...text.user_input, text: "  i ATE a apple!! " } });
    await submitFeedback(store, { interaction_id: low.interaction_id, user_id: "u1", rating: 4 });
    await submitFeedback(store, { interaction_id: high.interaction_id, user_id: "u1", rating: 5, helpful: true, accurate: true });
    const path = out("dedup");
    const result = await exportDataset(store, { task_types: ["grammar"], format: "alpaca", min_quality_score: 0 }, { path });
    const apples = lines(join(path, "data.jsonl")).filter((r) => /ate a apple/i.test(r.input));
    expect(apples).toHaveLength(1);
    expect(apples[0].input).toBe("  i ATE a apple!! ");
    expect(result.counts.dropped_duplicates).toBeGreaterThan(0);
    const all = await exportDataset(store, { task_types: ["grammar"], format: "alpaca", min_quality_score: 0, dedup: false }, { path: out("nodedup") });
    expect(all.counts.records).toBe(result.counts.records + result.counts.dropped_duplicates);
  });

  it("splits deterministically by learner: same data and seed, byte-identical files; no learner in two splits", async () => {
    const a = out("split-a");
    const b = out("split-b");
    const options = { format: "raw" as const, split: [0.7, 0.2, 0.1], seed: 5, dedup: false };
    const first = await exportDataset(store, options, { path: a });
    const second = await exportDataset(store, options, { path: b });
    expect(first.files.map((f) => f.sha256)).toEqual(second.files.map((f) => f.sha256));
    expect(dataFiles(a)).toEqual(["manifest.json", "test.jsonl", "train.jsonl", "validation.jsonl"]);
    const queue = new Map((await store.collection(COLLECTIONS.queue).find({}).toArray()).map((item) => [String(item._id), item.user_id as string]));
    const usersOf = (file: string) => new Set(lines(join(a, file)).map((r) => queue.get(r.id)));
    const [train, validation, test] = ["train.jsonl", "validation.jsonl", "test.jsonl"].map(usersOf);
    for (const user of train!) expect(validation!.has(user) || test!.has(user)).toBe(false);
    for (const user of validation!) expect(test!.has(user)).toBe(false);
    const other = await exportDataset(store, { ...options, seed: 6 }, { path: out("split-c") });
    expect(other.files.map((f) => f.sha256)).not.toEqual(first.files.map((f) => f.sha256));
  });

  it("marks exactly the exported examples as used, and skips them next time unless asked", async () => {
    const path = out("used");
    const result = await exportDataset(store, { task_types: ["fluency"], limit: 5, mark_used: true, format: "openai", dedup: false }, { path });
    expect(result.counts.records).toBe(5);
    const marked = await store.collection(COLLECTIONS.queue).find({ exports: result._id }).toArray();
    expect(marked).toHaveLength(5);
    expect(marked.every((item) => item.used_in_training === true)).toBe(true);
    const next = await exportDataset(store, { task_types: ["fluency"], format: "openai", dedup: false }, { path: out("next") });
    expect(next.counts.excluded.already_used).toBe(5);
    const again = await exportDataset(store, { task_types: ["fluency"], format: "openai", include_used: true, dedup: false }, { path: out("again") });
    expect(again.counts.records).toBe(next.counts.records + 5);
    expect((await getExport(store, result._id)).examples_marked).toBe(5);
  });

  it("refuses an empty result with a clear message and writes no file", async () => {
    const path = out("empty");
    await expect(exportDataset(store, { task_types: ["pronunciation"] }, { path })).rejects.toThrow(NotFoundError);
    await expect(exportDataset(store, { task_types: ["grammar"], min_quality_score: 1, validated_only: true }, { path })).rejects.toThrow(/no training examples match these filters/);
    expect(existsSync(path)).toBe(false);
    expect(await store.collection(COLLECTIONS.exports).countDocuments()).toBe(0);
  });

  it.each([
    [{ format: "csv" }, /format/],
    [{ task_types: ["not a word"] }, /task_types/],
    [{ split: [0.9, 0.2] }, /split ratios must add up to 1/],
    [{ since: "2026-02-01", until: "2026-01-01" }, /since must not be after until/],
    [{ since: "last tuesday" }, /since/],
  ])("refuses bad options %j", async (options, message) => {
    await expect(exportDataset(store, options as never, { path: out("bad") })).rejects.toThrow(message);
  });

  it("cleans up unfinished folders a killed export left, and only those", async () => {
    const path = out("stale");
    const name = path.split("/").pop()!;
    const stale = join(dir, `.${name}.999999999-abcdef.tmp`);
    const live = join(dir, `.${name}.${process.pid}-abcdef.tmp`);
    mkdirSync(stale);
    writeFileSync(join(stale, "data.jsonl"), "partial");
    mkdirSync(live);
    await exportDataset(store, { task_types: ["grammar"] }, { path });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it("refuses an unwritable output path", async () => {
    const error = await exportDataset(store, {}, { path: "/dev/null/lexi/out" }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe("cannot write to /dev/null/lexi: ENOTDIR");
  });

  it("leaves no partial file and marks nothing when interrupted", async () => {
    const path = out("interrupted");
    const abort = new AbortController();
    const attempt = exportDataset(store, { mark_used: true, min_quality_score: 0 }, { path }, { signal: abort.signal, onProgress: () => abort.abort() });
    abort.abort();
    await expect(attempt).rejects.toThrow();
    expect(readdirSync(dir).filter((name) => name.includes("interrupted"))).toEqual([]);
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
    expect(await store.collection(COLLECTIONS.exports).countDocuments()).toBe(0);
  });

  describe("on a full disk", () => {
    const small = join(dir, "small-disk");
    let mounted = false;
    beforeAll(() => {
      mkdirSync(small, { recursive: true });
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=48k", "tmpfs", small], { stdio: "ignore" });
        mounted = true;
      } catch {
        console.log("[lexi tests] disk-full export test skipped: mounting a small tmpfs needs root");
      }
    });
    afterAll(() => {
      if (mounted) execFileSync("umount", [small]);
    });

    it("leaves no file, no export record and nothing marked when the disk fills up midway", async (context) => {
      if (!mounted) context.skip();
      const path = join(small, "full");
      await expect(exportDataset(store, { min_quality_score: 0, mark_used: true, dedup: false }, { path })).rejects.toThrow(/ENOSPC/);
      expect(readdirSync(small)).toEqual([]);
      expect(await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
      expect(await store.collection(COLLECTIONS.exports).countDocuments()).toBe(0);
    });
  });
});
