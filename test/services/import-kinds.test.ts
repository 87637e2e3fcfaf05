/**
 * What each kind of import counts and checks beyond the shared loop: feedback's replaced and
 * flagged verdicts, metrics' link to an export and their timestamps, repeated records in one file.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { importFeedback, importMetrics, importProgress } from "../../src/services/intake-import.js";
import { logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir("lexi-import-kinds-");
afterAll(cleanup);
const store = memoryStorePerTest();
let files = 0;
function file(records: unknown[]): string {
  const path = join(dir, `input-${++files}.jsonl`);
  writeFileSync(path, records.map((record) => JSON.stringify(record)).join("\n"));
  return path;
}

describe("a feedback import", () => {
  it("counts the verdicts it submitted, those that replaced a learner's earlier one, and those that flagged their interaction", async () => {
    for (const [i, record] of demoInteractions(4, 71).entries()) await logInteraction(store, { ...record, _id: `k-${i}` });
    await submitFeedback(store, { interaction_id: "k-0", user_id: "u1", rating: 2 });
    const summary = await importFeedback(
      store,
      {
        path: file([
          { interaction_id: "k-0", user_id: "u1", rating: 5, helpful: true, accurate: true },
          { interaction_id: "k-1", user_id: "u2", rating: 1, accurate: false },
          { interaction_id: "k-2", user_id: "u3", rating: 4 },
          { interaction_id: "k-3", user_id: "u4", rating: 5, helpful: true },
        ]),
      },
      { batchSize: 3 },
    );
    expect(summary).toMatchObject({ read: 4, rejected: 0, written: { submitted: 4, replaced: 1, flagged: 1 } });
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(4);
  });
});

describe("a metrics import", () => {
  const entry = (version: string, extra: Record<string, unknown> = {}) => ({ model_name: "tutor", version, metrics: { bleu: 0.4 }, ...extra });

  it("refuses an entry that names an export lexi does not have, and takes one it has", async () => {
    await store.collection(COLLECTIONS.exports).insertOne({ _id: "exp-1" });
    const path = file([entry("v1", { export_id: "exp-1" }), entry("v2", { export_id: "exp-404" })]);
    const error = (await importMetrics(store, { path }).catch((e: unknown) => e)) as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain("line 2: no export with id exp-404 (see lexi exports list)");
    expect(await store.collection(COLLECTIONS.metrics).countDocuments()).toBe(0);
    const summary = await importMetrics(store, { path }, { skipInvalid: true, rejectedPath: join(dir, "metrics.rejected.jsonl") });
    expect(summary).toMatchObject({ read: 2, rejected: 1, written: { logged: 1, duplicates: 0 } });
    expect(await store.collection(COLLECTIONS.metrics).findOne({})).toMatchObject({ version: "v1", export_id: "exp-1" });
  });

  it("stores an entry repeated within one file once, and dates entries without a timestamp at the import", async () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const given = new Date("2026-01-01T00:00:00Z");
    const path = file([entry("v1"), entry("v1"), entry("v2", { timestamp: given.toISOString() })]);
    const summary = await importMetrics(store, { path }, { now });
    expect(summary.written).toEqual({ logged: 2, duplicates: 1 });
    const stored = await store.collection(COLLECTIONS.metrics).find({}).toArray();
    expect(stored.map((doc) => [doc.version, doc.timestamp]).sort()).toEqual([["v1", now], ["v2", given]]);
  });

  it("counts entries an earlier import stored as duplicates and stores nothing twice", async () => {
    expect((await importMetrics(store, { path: file([entry("v1"), entry("v2")]) })).written).toEqual({ logged: 2, duplicates: 0 });
    expect((await importMetrics(store, { path: file([entry("v2"), entry("v1"), entry("v3")]) })).written).toEqual({ logged: 1, duplicates: 2 });
    expect(await store.collection(COLLECTIONS.metrics).countDocuments()).toBe(3);
  });
});

describe("a progress import", () => {
  it("stores a snapshot repeated within one file once", async () => {
    const snapshot = { user_id: "u1", level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.7, vocabulary_count: 900 };
    const summary = await importProgress(store, { path: file([snapshot, { ...snapshot, vocabulary_count: 950 }, snapshot]) });
    expect(summary.written).toEqual({ saved: 2, duplicates: 1 });
    expect(await store.collection(COLLECTIONS.progress).countDocuments()).toBe(2);
  });
});

describe("messages and fields of metrics and progress imports", () => {
  it("a metrics entry's own _id is not an unknown field, even with strict", async () => {
    const path = file([{ _id: { $oid: "5f0c1e2d3a4b5c6d7e8f9012" }, model_name: "tutor", version: "v1", metrics: { bleu: 0.4 } }]);
    const summary = await importMetrics(store, { path }, { strict: true });
    expect(summary).toMatchObject({ read: 1, written: { logged: 1 }, unknown_fields: [] });
  });

  it("invalid entries are named as model metrics, an invalid _id too", async () => {
    const path = file([{ _id: ["x"], model_name: "tutor", version: "v1", metrics: { bleu: 0.4 } }]);
    const error = (await importMetrics(store, { path }).catch((e: unknown) => e)) as InvalidInputError;
    expect(error.message).toMatch(/^1 of 1 model metrics records are invalid; nothing was written/);
    expect(error.message).toContain("line 1: invalid model metrics _id");
  });

  it("invalid snapshots are named as progress snapshots; an unknown field stays on its own snapshot", async () => {
    const snapshot = { user_id: "u1", level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.7, vocabulary_count: 900 };
    const error = (await importProgress(store, { path: file([{ ...snapshot, level: 7 }]) }).catch((e: unknown) => e)) as InvalidInputError;
    expect(error.message).toMatch(/^1 of 1 progress snapshot records are invalid/);
    await importProgress(store, { path: file([snapshot, { ...snapshot, vocabulary_count: 901, tutor_note: "kept" }]) });
    const stored = await store.collection(COLLECTIONS.progress).find({}).toArray();
    expect(stored.map((doc) => [doc.vocabulary_count, doc.tutor_note]).sort()).toEqual([[900, undefined], [901, "kept"]]);
  });
});

describe("a line that is JSON but not a record", () => {
  it.each([["null"], ["[1, 2]"], ['"text"'], ["7"]])("%s is an invalid record with the reason, not a crash", async (line) => {
    const path = join(dir, `not-a-record-${++files}.jsonl`);
    writeFileSync(path, `${line}\n`);
    const error = (await importMetrics(store, { path }).catch((e: unknown) => e)) as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/line 1: invalid model metrics: .*expected object/);
  });
});
