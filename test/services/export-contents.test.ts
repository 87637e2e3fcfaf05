/**
 * What an export writes down, field by field: its id, the record and manifest (filters, split,
 * counts, files), the dataset card's facts and LLaMA-Factory's registry, the queue filters, the
 * refusals' messages, and what a stream gets. Small queues built by hand, so every count is known.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { InvalidInputError, NotFoundError } from "../../src/errors.js";
import type { ExportDoc } from "../../src/schema/export.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { LEXI_VERSION } from "../../src/version.js";
import { tempDir } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
const read = (path: string) => readFileSync(path, "utf8");
const lines = (path: string) => read(path).split("\n").filter(Boolean).map((line) => JSON.parse(line));
let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

const [demo] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 3, now: FIXED_NOW }).interactions;
const interaction = buildInteractionDoc(InteractionInput.parse(demo), FIXED_NOW);

/** One queue item; `i` names it (q-00i), its text and its source interaction. */
function item(i: number, fields: Partial<QueueItemDoc> = {}): QueueItemDoc {
  return {
    ...buildQueueItem(interaction, { tasks: ["grammar"], quality: 0.9, origin: "auto", now: FIXED_NOW }),
    _id: `q-${String(i).padStart(3, "0")}` as never,
    source_interaction_id: `src-${i}` as never,
    user_id: `learner-${i % 3}`,
    user_input: `Sentence number ${i} of the learner.`,
    ...fields,
  };
}
const queued = (items: QueueItemDoc[]) => store.collection(COLLECTIONS.queue).insertMany(items);
const ids = (rows: Array<{ id: string }>) => rows.map((row) => row.id).sort();

describe("the record and manifest of a folder export", () => {
  it("carry the id, filters, split, counts and files exactly", async () => {
    const corrected = { ...interaction.analysis, fluency_score: 0.99 };
    await queued([
      item(0),
      item(1, { task_types: ["grammar", "fluency"] }),
      item(2, { status: "approved", validated: true, corrected_output: corrected }),
      item(3, { task_types: ["fluency"] }),
      item(4, { status: "rejected" }),
      item(5, { status: "flagged" }),
      item(6, { status: "flagged" }),
      item(7, { used_in_training: true }),
      item(8, { quality_score: 0.2 }),
    ]);
    const path = out("exact");
    const now = new Date("2026-03-04T05:06:07.890Z");
    const result = await exportDataset(store, { task_types: ["grammar"], format: "alpaca", split: [0.5, 0.5], split_by: "example", seed: 4, mark_used: true, allow_empty_splits: true }, { path }, { now });

    expect(result._id).toMatch(/^exp-20260304T050607-[0-9a-f]{6}$/);
    const files = ["train", "validation"].map((split) => {
      const records = lines(join(path, `${split}.jsonl`));
      return { split, records: records.length, learners: new Set(records.map((r) => r.input.match(/number (\d+)/)[1] % 3)).size, sha256: result.files.find((f) => f.split === split)!.sha256 };
    });
    expect(files[0]!.records + files[1]!.records).toBe(3);
    const counts = {
      records: 3,
      examples: 3,
      per_split: { train: files[0]!.records, validation: files[1]!.records },
      learners_per_split: { train: files[0]!.learners, validation: files[1]!.learners },
      per_task: { grammar: 3 },
      dropped_duplicates: 0,
      excluded: { rejected: 1, flagged: 2, already_used: 1, invalid_for_format: 0 },
      corrected_examples: 1,
      // The demo analysis's errors are not words of these texts.
      without_corrected_sentence: 3,
    };
    const filters = {
      task_types: ["grammar"],
      min_quality_score: 0.7,
      validated_only: false,
      since: null,
      until: null,
      user_id: null,
      level: null,
      limit: null,
      include_used: false,
      dedup: true,
      clean_share: 0,
    };
    const manifest = JSON.parse(read(join(path, "manifest.json")));
    expect(manifest).toEqual({
      export_id: result._id,
      created_at: now.toISOString(),
      lexi_version: LEXI_VERSION,
      engine: "embedded",
      format: "alpaca",
      filters,
      split: { ratios: [0.5, 0.5], by: "example", seed: 4 },
      files: files.map(({ split, records, learners, sha256 }) => ({ split, file: `${split}.jsonl`, records, learners, sha256 })),
      counts,
      marked_used: true,
      replaces: null,
    });
    const stored = await store.collection<ExportDoc>(COLLECTIONS.exports).findOne({ _id: result._id });
    for (const record of [result, stored!]) {
      expect(record).toMatchObject({ state: "complete", owner: { host: hostname(), pid: process.pid }, format: "alpaca", filters, marked_used: true, directory: resolve(path), latest_root: null, replaces: null });
      expect(JSON.parse(JSON.stringify(record.counts))).toEqual(counts);
      expect(record.files.map((f) => f.path)).toEqual([join(path, "train.jsonl"), join(path, "validation.jsonl")]);
      expect(record.folder!.destination).toBe(resolve(path));
    }
    expect(result.manifest_path).toBe(join(path, "manifest.json"));
    const marked = await store.collection<QueueItemDoc>(COLLECTIONS.queue).find({ used_in_training: true }, { sort: { _id: 1 } }).toArray();
    expect(marked.map((m) => [String(m._id), m.exports])).toEqual([
      ["q-000", [result._id]],
      ["q-001", [result._id]],
      ["q-002", [result._id]],
      ["q-007", []],
    ]);
  });

  it("gives the dataset card its facts and LLaMA-Factory the files' entries", async () => {
    await queued([item(0), item(1), item(2, { status: "approved", validated: true, corrected_output: { ...interaction.analysis, fluency_score: 0.99 } }), item(3)]);
    const path = out("card");
    const result = await exportDataset(store, { task_types: ["grammar"], format: "openai", split: [0.5, 0.5], split_by: "example", seed: 1 }, { path });
    const card = read(join(path, "README.md"));
    const [, front, body] = card.split(/^---$/m);
    const perSplit = result.files.map((f) => f.records);
    expect(body!.split("\n").filter((line) => line.startsWith("- "))).toEqual([
      "- 4 records from 4 examples, 1 of them corrected by a reviewer",
      "- grammar targets: JSON with grammar_errors, corrected_sentence (corrected_sentence: the learner's sentence with the corrections applied)",
      "- 4 grammar targets without corrected_sentence (an error's words are not in the learner's text)",
      `- train: ${perSplit[0]} records (train.jsonl)`,
      `- validation: ${perSplit[1]} records (validation.jsonl)`,
    ]);
    expect(parse(front!).dataset_info.splits).toEqual(
      ["train", "validation"].map((split, i) => ({ name: split, num_examples: perSplit[i], num_bytes: statSync(join(path, `${split}.jsonl`)).size })),
    );
    const info = JSON.parse(read(join(path, "dataset_info.json")));
    const name = `lexi_${result._id.replace(/-/g, "_")}`;
    expect(Object.keys(info)).toEqual([name, `${name}_validation`]);
    expect(info[name].file_name).toBe("train.jsonl");
  });

  it("names a one-file export's split train in the card, and writes no LLaMA-Factory entry for raw", async () => {
    await queued([item(0), item(1)]);
    const path = out("raw-card");
    await exportDataset(store, { format: "raw" }, { path });
    const [, front, body] = read(join(path, "README.md")).split(/^---$/m);
    expect(parse(front!).configs[0].data_files).toEqual([{ split: "train", path: "data.jsonl" }]);
    expect(body).toContain("- train: 2 records (data.jsonl)");
    expect(body!.split("\n").filter((line) => line.startsWith("- "))).toEqual(["- 2 records from 2 examples, 0 of them corrected by a reviewer", "- train: 2 records (data.jsonl)"]);
    expect(() => read(join(path, "dataset_info.json"))).toThrow(/ENOENT/);
  });
});

describe("the queue filters", () => {
  it("keep the learner, level, dates, validation and quality asked for", async () => {
    const at = (day: number) => new Date(`2026-02-${String(day).padStart(2, "0")}T12:00:00Z`);
    await queued([
      item(0, { user_id: "ana", difficulty_level: "B1", interaction_timestamp: at(10) }),
      item(1, { user_id: "ana", difficulty_level: "B1", interaction_timestamp: at(1) }),
      item(2, { user_id: "ana", difficulty_level: "B1", interaction_timestamp: at(20) }),
      item(3, { user_id: "ana", difficulty_level: "A2", interaction_timestamp: at(10) }),
      item(4, { user_id: "bo", difficulty_level: "B1", interaction_timestamp: at(10) }),
      item(5, { user_id: "ana", difficulty_level: "B1", interaction_timestamp: at(5), validated: true, status: "approved" }),
      item(6, { user_id: "ana", difficulty_level: "B1", interaction_timestamp: at(15), quality_score: 0.5 }),
    ]);
    const exported = async (filters: Record<string, unknown>) => {
      const path = out("filtered");
      const result = await exportDataset(store, { format: "raw", ...filters }, { path });
      return { ids: ids(lines(join(path, "data.jsonl"))), filters: result.filters };
    };
    const window = { user_id: "ana", level: "B1", since: "2026-02-05T00:00:00Z", until: "2026-02-15T23:00:00Z" };
    const found = await exported(window);
    expect(found.ids).toEqual(["q-000", "q-005"]);
    expect(found.filters).toMatchObject({ user_id: "ana", level: "B1", since: new Date(window.since), until: new Date(window.until) });
    expect((await exported({ since: "2026-02-12T00:00:00Z" })).ids).toEqual(["q-002"]);
    expect((await exported({ until: "2026-02-02T00:00:00Z" })).ids).toEqual(["q-001"]);
    expect((await exported({ validated_only: true })).ids).toEqual(["q-005"]);
    expect((await exported({ min_quality_score: 0.5, user_id: "ana", since: "2026-02-14T00:00:00Z", until: "2026-02-16T00:00:00Z" })).ids).toEqual(["q-006"]);
  });

  it("make one raw record of an example's tasks, and one chat record per task, counted per task", async () => {
    await queued([item(0, { task_types: ["vocabulary", "grammar"] }), item(1, { task_types: ["grammar"] }), item(2, { task_types: ["fluency"] })]);
    const raw = await exportDataset(store, { format: "raw", split_by: "example" }, { path: out("raw") });
    expect({ ...raw.counts.per_task }).toEqual({ "grammar+vocabulary": 1, grammar: 1, fluency: 1 });
    const chat = await exportDataset(store, { format: "openai", task_types: ["grammar", "vocabulary"] }, { path: out("chat") });
    expect({ ...chat.counts.per_task }).toEqual({ grammar: 2, vocabulary: 1 });
    expect(chat.counts.examples).toBe(2);
  });

  it("count the records a format refuses, and say what was left out when nothing is left", async () => {
    await queued([item(0, { user_input: "   " }), item(1, { status: "rejected" }), item(2, { status: "flagged" }), item(3, { used_in_training: true })]);
    const error = await exportDataset(store, { format: "openai" }, { path: out("none") }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe("no training examples match these filters (left out: 1 rejected, 1 flagged, 1 already used, 1 invalid for format); nothing was written");
    await store.collection(COLLECTIONS.queue).deleteMany({ _id: { $in: ["q-001", "q-002", "q-003"] } });
    expect((await exportDataset(store, { format: "openai" }, { path: out("none") }).catch((e) => e)).message).toBe(
      "no training examples match these filters (left out: 1 invalid for format); nothing was written",
    );
    await queued([item(4)]);
    const result = await exportDataset(store, { format: "openai" }, { path: out("one") });
    expect(result.counts.excluded).toEqual({ rejected: 0, flagged: 0, already_used: 0, invalid_for_format: 1 });
    expect(result.counts.records).toBe(1);
  });
});

describe("splits", () => {
  it("refuse too few examples with the message for example splits", async () => {
    await queued([item(0), item(1)]);
    const error = await exportDataset(store, { split: [0.4, 0.3, 0.3], split_by: "example" }, { path: out("few") }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe("only 2 examples match these filters, fewer than the 3 splits requested: a split would be empty. Use fewer splits or --allow-empty-splits");
    const byUser = await exportDataset(store, { split: [0.4, 0.3, 0.3] }, { path: out("few") }).catch((e) => e);
    expect(byUser.message).toBe("only 2 learners match these filters, fewer than the 3 splits requested: a split would be empty. Use fewer splits, --split-by example or --allow-empty-splits");
  });
});

describe("a stream export", () => {
  it("writes the data lines only, in batches, with one file record named -", async () => {
    // Stored newest first: the export reads in id order all the same.
    await queued(Array.from({ length: 1500 }, (_, i) => item(1499 - i)));
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (chunk) => chunks.push(String(chunk)));
    const result = await exportDataset(store, { format: "raw" }, { stream });
    const text = chunks.join("");
    expect(text.split("\n").filter(Boolean).map((line) => JSON.parse(line).id)).toEqual(Array.from({ length: 1500 }, (_, i) => `q-${String(i).padStart(3, "0")}`).sort());
    expect(text.endsWith("}\n")).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    expect(result.files).toEqual([{ split: "all", path: "-", records: 1500, learners: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(result).toMatchObject({ directory: null, folder: null, manifest_path: null, state: "complete" });
  });

  it("fails, and records no export, when its reader goes away while the stream is full", async () => {
    await queued(Array.from({ length: 50 }, (_, i) => item(i)));
    // A reader that takes no chunk, then leaves without an error (a closed connection) while the export waits.
    const stalled: Writable = new Writable({ highWaterMark: 16, write: () => void setTimeout(() => stalled.destroy(), 20) });
    await expect(exportDataset(store, { format: "raw" }, { stream: stalled })).rejects.toThrow("the reader of the export went away");
    expect(await store.collection<ExportDoc>(COLLECTIONS.exports).countDocuments({ state: "complete" })).toBe(0);
  });

  it("refuses splits, which need a folder", async () => {
    await expect(exportDataset(store, { split: [0.5, 0.5] }, { stream: new PassThrough() })).rejects.toThrow(
      new InvalidInputError("splits need a directory to write to (--out <dir>), not standard output"),
    );
  });
});

describe("a large export", () => {
  it("reports progress every thousand examples read and every chunk of records written, and marks them all", async () => {
    await queued(Array.from({ length: 2000 }, (_, i) => item(i, { _id: `q-${String(i).padStart(5, "0")}` as never })));
    const calls: Array<[number, number]> = [];
    await exportDataset(store, { format: "raw", dedup: false, mark_used: true }, { stream: new PassThrough().resume() }, { onProgress: (scanned, written) => calls.push([scanned, written]) });
    // Marked in pages: every one of them.
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(2000);
    expect(calls).toEqual([
      [1000, 0],
      [2000, 0],
      [0, 1024],
      [0, 2000],
    ]);
  });
});

describe("what else an export leaves", () => {
  it("raw records keep the tutor's output beside a correction only", async () => {
    await queued([item(0), item(1, { status: "approved", validated: true, corrected_output: { ...interaction.analysis, fluency_score: 0.99 } })]);
    const path = out("raw-keys");
    await exportDataset(store, { format: "raw" }, { path });
    const [plain, corrected] = lines(join(path, "data.jsonl"));
    expect(Object.keys(plain)).toEqual(["id", "input", "output", "task_types", "difficulty_level", "quality_score"]);
    expect(corrected.original_output).toEqual(JSON.parse(JSON.stringify(interaction.analysis)));
    expect(corrected.output.fluency_score).toBe(0.99);
  });

  it("dataset cards describe grammar targets only when there are grammar records, with the template's fields", async () => {
    await queued([item(0, { task_types: ["grammar", "fluency"] })]);
    const fluency = out("fluency-card");
    await exportDataset(store, { format: "openai", task_types: ["fluency"] }, { path: fluency });
    expect(read(join(fluency, "README.md"))).not.toContain("grammar targets");
    const errorsOnly = out("errors-card");
    await exportDataset(store, { format: "sharegpt", templates: { grammar: { fields: ["grammar_errors"] } } }, { path: errorsOnly });
    expect(read(join(errorsOnly, "README.md"))).toContain("- grammar targets: JSON with grammar_errors\n");
    expect(read(join(errorsOnly, "README.md"))).not.toContain("without corrected_sentence");
  });

  it("sweeps the staging a killed export left, and leaves none of its own", async () => {
    await queued([item(0)]);
    const stale = join(tmpdir(), "lexi-export-999999999-Zz9xYw");
    mkdirSync(stale, { recursive: true });
    await exportDataset(store, {}, { stream: new PassThrough().resume() });
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`lexi-export-${process.pid}-`))).toEqual([]);
  });

  it("fails, recording and marking nothing, when the reader of a stream went away", async () => {
    await queued([item(0), item(1)]);
    const gone = new PassThrough();
    gone.destroy();
    await expect(exportDataset(store, { mark_used: true }, { stream: gone })).rejects.toThrow("the reader of the export went away");
    expect(await store.collection(COLLECTIONS.exports).countDocuments()).toBe(0);
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
  });

  it("stops when aborted while a stream's reader is not reading", async () => {
    await queued(Array.from({ length: 300 }, (_, i) => item(i)));
    // Accepts one chunk and never asks for more.
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined });
    const abort = new AbortController();
    const attempt = exportDataset(store, { mark_used: true }, { stream: stuck }, { signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    await expect(attempt).rejects.toThrow(/abort/i);
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
  });

  it("records which export a forced one replaced, and only that one", async () => {
    await queued([item(0), item(1)]);
    const elsewhere = await exportDataset(store, {}, { path: out("elsewhere") });
    const path = out("replaced");
    const older = await exportDataset(store, {}, { path });
    const newer = await exportDataset(store, { limit: 1 }, { path, force: true });
    const records = await store.collection<ExportDoc>(COLLECTIONS.exports).find({}).toArray();
    expect(Object.fromEntries(records.map((r) => [r._id, r.replaced_by ?? null]))).toEqual({ [elsewhere._id]: null, [older._id]: newer._id, [newer._id]: null });
    expect(newer.replaces).toBe(older._id);
  });

  it("counts the examples and learners of the records a limit keeps", async () => {
    await queued(Array.from({ length: 9 }, (_, i) => item(i)));
    const result = await exportDataset(store, { format: "raw", limit: 2 }, { path: out("limited") });
    expect(result.counts).toMatchObject({ records: 2, examples: 2, learners_per_split: { all: 2 } });
    expect(result.files[0]).toMatchObject({ records: 2, learners: 2 });
  });

  it("refuses bad options naming them, and says plainly when nothing matched", async () => {
    await expect(exportDataset(store, { format: "csv" } as never, { path: out("bad") })).rejects.toThrow(/^invalid export options: format: /);
    await expect(exportDataset(store, { task_types: ["pronunciation"] }, { path: out("none") })).rejects.toThrow(new NotFoundError("no training examples match these filters; nothing was written"));
  });

  it("splits by example when asked, even the examples of one learner, and leaves an empty split file empty", async () => {
    await queued([item(0, { user_id: "solo" }), item(1, { user_id: "solo" })]);
    const byExample = await exportDataset(store, { format: "raw", split: [0.5, 0.5], split_by: "example" }, { path: out("solo-examples") });
    expect(byExample.files.map((f) => f.records)).toEqual([1, 1]);
    const byLearner = await exportDataset(store, { format: "raw", split: [0.5, 0.5], allow_empty_splits: true }, { path: out("solo-learner") });
    const empty = byLearner.files.find((f) => f.records === 0)!;
    expect(read(join(byLearner.directory!, `${empty.split}.jsonl`))).toBe("");
  });
});
