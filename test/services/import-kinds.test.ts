/**
 * What each kind of import counts and checks beyond the shared loop: feedback's replaced and
 * flagged verdicts, metrics' link to an export and their timestamps, repeated records in one file.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { importFeedback, importMetrics, importProgress } from "../../src/services/intake-import.js";
import { logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir("lexi-import-kinds-");
afterAll(cleanup);
let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});
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
});

describe("a progress import", () => {
  it("stores a snapshot repeated within one file once", async () => {
    const snapshot = { user_id: "u1", level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.7, vocabulary_count: 900 };
    const summary = await importProgress(store, { path: file([snapshot, { ...snapshot, vocabulary_count: 950 }, snapshot]) });
    expect(summary.written).toEqual({ saved: 2, duplicates: 1 });
    expect(await store.collection(COLLECTIONS.progress).countDocuments()).toBe(2);
  });
});
