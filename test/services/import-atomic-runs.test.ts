/**
 * How an all-or-nothing import is undone: one transaction on the embedded engine by default, or
 * MongoDB's tagged run (tested here on the embedded engine through the same code), and when a
 * tagged run left by a dead process counts as abandoned.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InterruptedError } from "../../src/errors.js";
import { atomically, IMPORT_RUNS, removeAbandonedRuns, RUN_TAG, type Atomicity } from "../../src/services/import/atomic-run.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { importFeedback } from "../../src/services/intake-import.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir("lexi-atomic-runs-");
afterAll(cleanup);
const store = memoryStorePerTest();
const failure = (work: Promise<unknown>) => work.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as Error);
const MINUTE = 60_000;

describe("an interrupted feedback import that had replaced a learner's earlier verdict", () => {
  /** 30 interactions, a rating-5 verdict by "rater" on the first, and a feedback import of 30 rating-1 verdicts stopped after its second batch. */
  async function interruptedImport(atomicity?: Atomicity): Promise<Error> {
    for (const [i, record] of demoInteractions(30, 61).entries()) await logInteraction(store, { ...record, _id: `fb-${i}` });
    await submitFeedback(store, { interaction_id: "fb-0", user_id: "rater", rating: 5, helpful: true, accurate: true });
    const path = join(dir, `feedback-${atomicity ?? "default"}.jsonl`);
    writeFileSync(path, Array.from({ length: 30 }, (_, i) => JSON.stringify({ interaction_id: `fb-${i}`, user_id: "rater", rating: 1, accurate: false })).join("\n"));
    const controller = new AbortController();
    return failure(importFeedback(store, { path }, { batchSize: 10, atomicity, signal: controller.signal, onProgress: ({ records }) => records >= 20 && controller.abort() }));
  }
  const verdicts = () => store.collection(COLLECTIONS.feedback).find({}).toArray();

  it("on the embedded engine, by default, is undone whole: the earlier verdict is back", async () => {
    expect(await interruptedImport()).toBeInstanceOf(InterruptedError);
    expect(await verdicts()).toEqual([expect.objectContaining({ interaction_id: "fb-0", rating: 5, accurate: true })]);
    expect((await getInteraction(store, "fb-0")).flagged_for_review).toBe(false);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(0);
  });

  it("the tagged way (MongoDB's) removes the verdicts it added, but keeps the one it replaced", async () => {
    expect(await interruptedImport("tagged")).toBeInstanceOf(InterruptedError);
    const left = await verdicts();
    expect(left).toEqual([expect.objectContaining({ interaction_id: "fb-0", rating: 1, accurate: false })]);
    expect(left[0]).not.toHaveProperty(RUN_TAG);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(0);
  });
});

describe("a tagged run", () => {
  it("leaves no tag on what it inserted or upserted once it succeeds, and keeps what the upserts carried", async () => {
    for (const [i, record] of demoInteractions(3, 62).entries()) await logInteraction(store, { ...record, _id: `t-${i}` });
    const path = join(dir, "tagged-ok.jsonl");
    writeFileSync(path, [0, 1, 2].map((i) => JSON.stringify({ interaction_id: `t-${i}`, user_id: `u${i}`, rating: 4 })).join("\n"));
    await importFeedback(store, { path }, { atomicity: "tagged" });
    const stored = await store.collection(COLLECTIONS.feedback).find({}).toArray();
    expect(stored.map((verdict) => [verdict.interaction_id, verdict.user_id, verdict.rating]).sort()).toEqual([["t-0", "u0", 4], ["t-1", "u1", 4], ["t-2", "u2", 4]]);
    expect(stored.filter((verdict) => RUN_TAG in verdict)).toEqual([]);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(0);
  });

  it("counts as alive while heard from within ten minutes; after that, the next run removes what it wrote", async () => {
    // What a process that died mid-import left: its run record, last heard from at `started`, and tagged documents.
    const started = new Date("2026-06-15T12:00:00Z");
    const runId = "dead-run";
    await store.collection(IMPORT_RUNS).insertOne({ _id: runId, heartbeat: started, collections: [COLLECTIONS.interactions] });
    await store.collection(COLLECTIONS.interactions).insertOne({ _id: "left-over", [RUN_TAG]: runId });
    await store.collection(COLLECTIONS.feedback).insertOne({ _id: "left-over-verdict", [RUN_TAG]: runId });
    expect(await removeAbandonedRuns(store, new Date(started.getTime() + 9 * MINUTE))).toBe(0);
    expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(1);
    expect(await removeAbandonedRuns(store, new Date(started.getTime() + 11 * MINUTE))).toBe(1);
    expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(0);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(0);
  });

  it("a fresh run does not take a live one for abandoned", async () => {
    await store.collection(IMPORT_RUNS).insertOne({ _id: "live", heartbeat: new Date(Date.now() - 5 * MINUTE), collections: [COLLECTIONS.interactions] });
    await store.collection(COLLECTIONS.interactions).insertOne({ _id: "in-flight", [RUN_TAG]: "live" });
    await atomically(store, async (run) => run.collection(COLLECTIONS.interactions).insertOne({ _id: "mine" }), { atomicity: "tagged" });
    expect((await store.collection(COLLECTIONS.interactions).find({}).toArray()).map((doc) => doc._id).sort()).toEqual(["in-flight", "mine"]);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(1);
  });
});
