/**
 * Imports are all or nothing (issue 17, item 1), reruns never duplicate, --resume continues after
 * its checkpoint, and the MongoDB strategy (tagged runs) undoes itself — tested on the embedded
 * engine through the same code path.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ObjectId } from "bson";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError, InterruptedError, InvalidInputError } from "../../src/errors.js";
import { atomically, IMPORT_RUNS, removeAbandonedRuns, RUN_TAG } from "../../src/services/import/atomic-run.js";
import type { ImportProgress } from "../../src/services/import/import-records.js";
import { importFeedback, importInteractions, importProgress } from "../../src/services/intake-import.js";
import { logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const store = memoryStorePerTest();

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
let fileCounter = 0;
function file(records: unknown[] | string): string {
  const path = join(dir, `input-${++fileCounter}.jsonl`);
  writeFileSync(path, typeof records === "string" ? records : jsonl(records));
  return path;
}
const count = (name: string = COLLECTIONS.interactions) => store.collection(name).countDocuments();
const everything = async () => Object.fromEntries(await Promise.all(Object.values(COLLECTIONS).map(async (name) => [name, await count(name)])));

/** Aborts once the import reports `after` records read. */
function abortAfter(after: number) {
  const controller = new AbortController();
  return { signal: controller.signal, onProgress: ({ stage, records }: ImportProgress) => stage === "writing" && records >= after && controller.abort() };
}

describe("an import is all or nothing", () => {
  it("writes nothing when a record fails only while writing, late in the file", async () => {
    const taken = new ObjectId();
    await logInteraction(store, { ...demoInteractions(1, 3)[0]!, _id: { $oid: taken.toHexString() } });
    const records = demoInteractions(1500);
    records[1200] = { ...records[1200]!, _id: taken.toHexString() } as never;
    const error = await importInteractions(store, { path: file(records) }, { batchSize: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/^lines 1201–1300: interaction id .* already used/);
    expect(await count()).toBe(1);
  });

  it("writes nothing when interrupted, interactions and feedback alike", async () => {
    const before = await everything();
    const error = await importInteractions(store, { path: file(demoInteractions(3000)) }, { batchSize: 200, ...abortAfter(1000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as Error).message).toContain("nothing was written");
    expect(await everything()).toEqual(before);

    const ids = demoInteractions(300).map((record, i) => ({ ...record, _id: `fb-${i}` }));
    await importInteractions(store, { path: file(ids) });
    const withInteractions = await everything();
    const feedback = ids.map((record) => ({ interaction_id: record._id, user_id: "rater", rating: 1, accurate: false }));
    const stopped = await importFeedback(store, { path: file(feedback) }, { batchSize: 20, ...abortAfter(100) }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(InterruptedError);
    expect(await everything()).toEqual(withInteractions);
    expect(await store.collection(COLLECTIONS.interactions).countDocuments({ flagged_for_review: true })).toBe(0);
  });

  it("does not duplicate records without _id, nor progress snapshots, when a file is imported twice", async () => {
    const path = file(demoInteractions(120));
    const first = await importInteractions(store, { path });
    const second = await importInteractions(store, { path });
    expect(first.written.inserted).toBe(120);
    expect(second.written).toMatchObject({ inserted: 0, duplicates: 120 });
    expect(await count()).toBe(120);
    const queued = await count(COLLECTIONS.queue);

    const snapshots = file(Array.from({ length: 30 }, (_, i) => ({ user_id: `u${i % 3}`, level: "B1", fluency_score_avg: 0.5 + i / 100, grammar_accuracy: 0.7, vocabulary_count: 900 + i })));
    await importProgress(store, { path: snapshots });
    const again = await importProgress(store, { path: snapshots });
    expect(again.written).toEqual({ saved: 0, duplicates: 30 });
    expect(await count(COLLECTIONS.progress)).toBe(30);
    expect(await count(COLLECTIONS.queue)).toBe(queued);
  });
});

describe("--resume", () => {
  it("reports progress by stage, in records and in bytes of the file: validating everything first, then writing", async () => {
    const path = file(demoInteractions(2500));
    const size = readFileSync(path).length;
    const seen: ImportProgress[] = [];
    await importInteractions(store, { path }, { resume: true, batchSize: 500, onProgress: (progress) => seen.push(progress) });
    const stages = seen.map((progress) => progress.stage);
    expect(stages.indexOf("writing")).toBeGreaterThan(stages.lastIndexOf("validating"));
    expect(seen.filter((progress) => progress.stage === "validating").map((progress) => progress.records)).toEqual([1000, 2000]);
    const writing = seen.filter((progress) => progress.stage === "writing");
    expect(writing.map((progress) => progress.records)).toEqual([500, 1000, 1500, 2000, 2500]);
    expect(seen.every((progress) => progress.totalBytes === size && progress.bytes > 0 && progress.bytes <= size)).toBe(true);
    expect(writing.at(-1)!.bytes).toBe(size);
  });

  it("keeps the committed batches on an interrupt and continues after them, without duplicates", async () => {
    const path = file(demoInteractions(1000));
    const error = await importInteractions(store, { path }, { resume: true, batchSize: 100, ...abortAfter(400) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as Error).message).toMatch(/records up to line \d+ are stored; run the same command with --resume/);
    const kept = await count();
    expect(kept).toBeGreaterThanOrEqual(400);
    expect(kept).toBeLessThan(1000);

    const summary = await importInteractions(store, { path }, { resume: true, batchSize: 100 });
    expect(summary.resumed_after_line).toBe(kept);
    expect(summary.written.inserted).toBe(1000 - kept);
    expect(await count()).toBe(1000);
    expect(await count(IMPORT_RUNS)).toBe(0);
  });
});

describe("the tagged strategy (MongoDB's), run on the embedded engine", () => {
  it("removes its documents on a failure and its tags on success", async () => {
    const records = demoInteractions(500);
    records[450] = { ...records[450]!, _id: "dup" } as never;
    records[460] = { ...records[460]!, _id: { $oid: "0000000000000000000000aa" } } as never;
    await logInteraction(store, { ...demoInteractions(1, 9)[0]!, _id: "0000000000000000000000aa" });
    const before = await everything();
    await expect(importInteractions(store, { path: file(records) }, { atomicity: "tagged", batchSize: 50 })).rejects.toBeInstanceOf(ConflictError);
    expect(await everything()).toEqual(before);
    expect(await count(IMPORT_RUNS)).toBe(0);

    await importInteractions(store, { path: file(demoInteractions(200, 11)) }, { atomicity: "tagged", batchSize: 50 });
    expect(await count()).toBe(201);
    expect(await store.collection(COLLECTIONS.interactions).countDocuments({ [RUN_TAG]: { $exists: true } })).toBe(0);
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ [RUN_TAG]: { $exists: true } })).toBe(0);
  });

  it("removes what a run of a dead process left, at the next run", async () => {
    const before = await everything();
    // A run that "dies": its documents are written, its process never returns.
    const dead = atomically(store, async (run) => {
      await run.collection(COLLECTIONS.interactions).insertOne({ _id: "orphan", text: "half an import" });
      throw new Error("process died");
    }, { atomicity: "tagged" });
    await expect(dead).rejects.toThrow("process died");
    expect(await everything()).toEqual(before);

    await store.collection(IMPORT_RUNS).insertOne({ _id: "r1", heartbeat: new Date(Date.now() - 3_600_000), collections: [COLLECTIONS.interactions] });
    await store.collection(COLLECTIONS.interactions).insertOne({ _id: "left-over", [RUN_TAG]: "r1" });
    expect(await removeAbandonedRuns(store)).toBe(1);
    expect(await everything()).toEqual(before);
    expect(await count(IMPORT_RUNS)).toBe(0);
  });
});

describe("lines that cannot be read", () => {
  it("names the line of a deeply nested record, of invalid UTF-8 and of a $-key, and writes nothing", async () => {
    const good = JSON.stringify(demoInteractions(1)[0]);
    const deep = `{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const withDollar = JSON.stringify({ ...demoInteractions(1, 2)[0], user_input: { text: "hi", $where: "1" } });
    const bytes = Buffer.concat([Buffer.from(`${good}\n${deep}\n${withDollar}\n`), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a])]);
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, bytes);
    const error = (await importInteractions(store, { path }).catch((e: unknown) => e)) as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain("line 2: nested deeper than 64 levels");
    expect(error.message).toContain("line 3: invalid interaction: user_input.$where: keys starting with $");
    expect(error.message).toContain("line 4: not valid UTF-8");
    expect(await count()).toBe(0);
  });
});

describe("duplicate visible ids", () => {
  it("refuses an interaction whose string id is an existing ObjectId's hex, and the reverse", async () => {
    const { interaction_id } = await logInteraction(store, demoInteractions(1)[0]!);
    await expect(logInteraction(store, { ...demoInteractions(1, 4)[0]!, _id: interaction_id })).rejects.toBeInstanceOf(ConflictError);
    await logInteraction(store, { ...demoInteractions(1, 5)[0]!, _id: "5f0c1e2d3a4b5c6d7e8f9012" });
    await expect(logInteraction(store, { ...demoInteractions(1, 6)[0]!, _id: { $oid: "5f0c1e2d3a4b5c6d7e8f9012" } })).rejects.toBeInstanceOf(ConflictError);
    expect(await count()).toBe(2);
  });
});

describe("the rejects file", () => {
  it("is written only after the import, under its own name", async () => {
    const records: unknown[] = demoInteractions(10);
    records[4] = { nonsense: true };
    const path = file(records);
    const summary = await importInteractions(store, { path }, { skipInvalid: true });
    expect(summary).toMatchObject({ read: 10, rejected: 1, rejected_file: `${path}.rejected.jsonl` });
    expect(JSON.parse(readFileSync(`${path}.rejected.jsonl`, "utf8"))).toMatchObject({ line: 5, record: { nonsense: true } });
  });
});
