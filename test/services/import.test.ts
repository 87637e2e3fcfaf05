import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { ObjectId } from "bson";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { importFeedback, importInteractions } from "../../src/services/intake-import.js";
import { getInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const store = memoryStorePerTest();

const jsonl = (records: unknown[]) => records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";
const interactionCount = () => store.collection(COLLECTIONS.interactions).countDocuments();

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("importing interactions", () => {
  it("queues each interaction once: an example already stored for it is kept, not duplicated", async () => {
    const records = demoInteractions(40).map((record, i) => ({ ...record, _id: `once-${i}` }));
    const path = file("once.jsonl", jsonl(records));
    const first = await importInteractions(store, { path: file("first.jsonl", jsonl(records.slice(0, 20))) });
    const queue = store.collection(COLLECTIONS.queue);
    const queuedFirst = await queue.countDocuments();
    expect(queuedFirst).toBe(first.written.queued);
    // An example left behind for an interaction that is no longer stored (a run cut short on a server without transactions).
    const orphan = (await queue.findOne({}))!;
    await store.collection(COLLECTIONS.interactions).deleteOne({ _id: orphan.source_interaction_id });
    const summary = await importInteractions(store, { path });
    expect(summary.written).toMatchObject({ inserted: 21, duplicates: 19 });
    const items = await queue.find({}).toArray();
    expect(new Set(items.map((item) => String(item.source_interaction_id))).size).toBe(items.length);
    expect(items.find((item) => item.source_interaction_id === orphan.source_interaction_id)?._id).toEqual(orphan._id);
    const requeued = await getInteraction(store, String(orphan.source_interaction_id));
    expect(requeued.in_training_queue).toBe(true);
  });

  it("writes every record, applies auto-queue and keeps given ids and timestamps", async () => {
    const records = demoInteractions(50).map((record, i) => ({ ...record, _id: i === 0 ? { $oid: "5f0c1e2d3a4b5c6d7e8f9012" } : `hist-${i}` }));
    const path = file("ok.jsonl", jsonl(records));
    const summary = await importInteractions(store, { path }, { batchSize: 7 });
    expect(summary).toMatchObject({ read: 50, rejected: 0 });
    expect(summary.written.inserted).toBe(50);
    expect(summary.written.queued).toBe(await store.collection(COLLECTIONS.queue).countDocuments());
    const first = await getInteraction(store, "5f0c1e2d3a4b5c6d7e8f9012");
    expect(first._id).toBeInstanceOf(ObjectId);
    expect(first.timestamp).toEqual(new Date(records[0]!.timestamp as string));
    expect((await getInteraction(store, "hist-7"))._id).toBe("hist-7");
  });

  it("does not duplicate when the same file is imported twice", async () => {
    const path = file("twice.jsonl", jsonl(demoInteractions(20).map((r, i) => ({ ...r, _id: `twice-${i}` }))));
    await importInteractions(store, { path });
    const again = await importInteractions(store, { path });
    expect(again.written).toMatchObject({ inserted: 0, duplicates: 20, queued: 0 });
    expect(await interactionCount()).toBe(20);
  });

  it("reads a JSON array too", async () => {
    const path = file("array.json", JSON.stringify(demoInteractions(5)));
    expect((await importInteractions(store, { path })).written.inserted).toBe(5);
  });

  it("writes nothing when any line is invalid, and names the lines and reasons", async () => {
    const [a, b, c] = demoInteractions(3);
    const text = jsonl([a, "{\"session_id\": \"s1\", \"user_", { ...b, analysis: { ...b!.analysis, vocabulary_level: "Z9" } }, "not json", { ...c, user_id: { $ne: null } }]);
    const error = await importInteractions(store, { path: file("bad.jsonl", text) }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/^4 of 5 interaction records are invalid; nothing was written/);
    expect(error.message).toContain("line 2: not valid JSON");
    expect(error.message).toContain("line 3: invalid interaction: analysis.vocabulary_level");
    expect(error.message).toContain("line 4: not valid JSON");
    expect(error.message).toContain("line 5: invalid interaction: user_id.$ne: keys starting with $");
    expect(await interactionCount()).toBe(0);
  });

  it("lists at most 20 offending lines", async () => {
    const text = jsonl(Array.from({ length: 30 }, () => "{oops"));
    const error = await importInteractions(store, { path: file("many.jsonl", text) }).catch((e) => e);
    expect(error.message.match(/line \d+:/g)).toHaveLength(20);
    expect(error.message).toContain("… and 10 more");
  });

  it("with skipInvalid writes the valid records and saves the rejected ones with reasons beside the input", async () => {
    const records = demoInteractions(4);
    const path = file("mixed.jsonl", jsonl([records[0], "{truncated", records[1], { ...records[2], analysis: { ...records[2]!.analysis, fluency_score: "high" } }, records[3]]));
    const summary = await importInteractions(store, { path }, { skipInvalid: true });
    expect(summary).toMatchObject({ read: 5, rejected: 2, rejected_file: `${path}.rejected.jsonl` });
    expect(await interactionCount()).toBe(3);
    const rejected = readFileSync(`${path}.rejected.jsonl`, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(rejected.map((r) => r.line)).toEqual([2, 4]);
    expect(rejected[1].error).toContain("analysis.fluency_score");
    expect(rejected[0].record).toBe("{truncated");
  });

  it("reads standard input", async () => {
    const summary = await importInteractions(store, { stream: Readable.from([jsonl(demoInteractions(3))]) });
    expect(summary.written.inserted).toBe(3);
  });

  it("refuses an empty input", async () => {
    await expect(importInteractions(store, { path: file("empty.jsonl", "\n\n") })).rejects.toThrow(/no interaction records/);
    expect(existsSync(join(dir, "empty.jsonl.rejected.jsonl"))).toBe(false);
  });
});

describe("importing feedback", () => {
  it("checks that each interaction exists before writing anything", async () => {
    await importInteractions(store, { path: file("base.jsonl", jsonl(demoInteractions(2).map((r, i) => ({ ...r, _id: `fb-${i}` })))) });
    const path = file("feedback.jsonl", jsonl([
      { interaction_id: "fb-0", user_id: "u1", rating: 5, helpful: true, accurate: true },
      { interaction_id: "fb-404", user_id: "u1", rating: 4 },
    ]));
    await expect(importFeedback(store, { path })).rejects.toThrow(/line 2: no interaction with id fb-404/);
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(0);
    const summary = await importFeedback(store, { path }, { skipInvalid: true });
    expect(summary.written).toEqual({ submitted: 1, replaced: 0, flagged: 0 });
  });
});
