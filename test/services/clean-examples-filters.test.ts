/**
 * Clean examples on the cases the main clean-example tests leave out: the level and date filters,
 * a text the format refuses, repeated texts with and without dedup, each pool condition at its
 * edge, splits by example, and the counts and dataset card of an export that has them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { idCandidates } from "../../src/schema/common.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { logInteraction } from "../../src/services/interactions.js";
import { addToQueue } from "../../src/services/queue.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { interactionWith } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

type Analysis = Parameters<typeof interactionWith>[0];
const fluent: Analysis = { grammar_errors: [], fluency_score: 0.85, vocabulary_level: "B1" };

/** A logged interaction rated `rating` (5 by default) by its learner. */
async function clean(text: string, options: { user?: string; analysis?: Analysis; timestamp?: string; rating?: number | null } = {}): Promise<string> {
  const base = interactionWith({ ...fluent, ...options.analysis }, 1);
  const { interaction_id } = await logInteraction(store, { ...base, user_id: options.user ?? "u1", timestamp: options.timestamp ?? base.timestamp, user_input: { ...base.user_input, text } });
  if (options.rating !== null) await submitFeedback(store, { interaction_id, user_id: "rater", rating: options.rating ?? 5, helpful: true, accurate: true });
  return interaction_id;
}

/** `count` queued examples with an error (grammar task), so a share has something to be a share of. */
async function errorful(count: number, prefix = "Errorful", analysis: Analysis = {}, timestamp?: string) {
  for (let i = 0; i < count; i++) {
    const base = interactionWith({ grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], fluency_score: 0.3, vocabulary_level: "A2", ...analysis }, 1);
    const { interaction_id } = await logInteraction(store, { ...base, user_id: `err-${i}`, timestamp: timestamp ?? base.timestamp, user_input: { ...base.user_input, text: `${prefix} ${i}: yesterday I go home.` } });
    await addToQueue(store, { interaction_id, task_types: ["grammar"], quality_score: 0.9 });
  }
}

const cleanInputs = (path: string, file = "data.jsonl") => lines(join(path, file)).filter((line) => JSON.parse(line.output).grammar_errors.length === 0).map((line) => line.input).sort();

describe("clean examples", () => {
  it("follow the level and date filters of the export", async () => {
    await errorful(10, "Errorful", { vocabulary_level: "B1" }, "2026-03-10T00:00:00Z");
    await clean("In range at B1.", { timestamp: "2026-03-10T00:00:00Z" });
    await clean("Too early at B1.", { timestamp: "2026-02-01T00:00:00Z" });
    await clean("Too late at B1.", { timestamp: "2026-04-20T00:00:00Z" });
    await clean("In range at B2.", { timestamp: "2026-03-10T00:00:00Z", analysis: { vocabulary_level: "B2" } });
    const picked = async (filters: Record<string, unknown>) => {
      const path = out("filters");
      await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.5, ...filters }, { path });
      return cleanInputs(path);
    };
    expect(await picked({ level: "B1", since: "2026-03-01T00:00:00Z", until: "2026-03-31T00:00:00Z" })).toEqual(["In range at B1."]);
    expect(await picked({ since: "2026-03-01T00:00:00Z" })).toEqual(["In range at B1.", "In range at B2.", "Too late at B1."]);
    expect(await picked({ until: "2026-03-31T00:00:00Z" })).toEqual(["In range at B1.", "In range at B2.", "Too early at B1."]);
    expect(await picked({ level: "B1" })).toEqual(["In range at B1.", "Too early at B1.", "Too late at B1."]);
  });

  it("are picked by the pool's conditions, each at its edge", async () => {
    await errorful(20);
    await clean("Rated four.", { rating: 4 });
    await clean("Rated three.", { rating: 3 });
    await clean("Fluent at the edge.", { analysis: { fluency_score: 0.7 } });
    await clean("Not quite fluent.", { analysis: { fluency_score: 0.69 } });
    await clean("Never rated.", { rating: null });
    const path = out("edges");
    const result = await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.5 }, { path });
    expect(cleanInputs(path)).toEqual(["Fluent at the edge.", "Rated four."]);
    expect(result.counts.clean).toEqual({ records: 2, share: 0.5, wanted: 20, available: 2 });
  });

  it("leave out a text the format refuses, and count only those offered", async () => {
    await errorful(4);
    await clean("A fine sentence.");
    await clean("   ");
    const result = await exportDataset(store, { format: "openai", task_types: ["grammar"], clean_share: 0.5 }, { path: out("refused") });
    expect(result.counts.clean).toEqual({ records: 1, share: 0.5, wanted: 4, available: 1 });
    expect(result.counts.dropped_duplicates).toBe(0);
    expect(result.counts.excluded.invalid_for_format).toBe(0);
  });

  it("count a repeated text once with dedup and twice without; dropped duplicates count the errorful ones only", async () => {
    await errorful(6);
    await errorful(2, "Errorful");
    await clean("The same clean text.", { user: "u1" });
    await clean("the same CLEAN text!", { user: "u2" });
    await clean("Another clean text.", { user: "u3" });
    const deduped = await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.5 }, { path: out("dedup") });
    expect(deduped.counts.clean).toEqual({ records: 2, share: 0.5, wanted: 6, available: 2 });
    expect(deduped.counts.dropped_duplicates).toBe(2);
    const all = await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.5, dedup: false }, { path: out("no-dedup") });
    expect(all.counts.clean).toEqual({ records: 3, share: 0.5, wanted: 8, available: 3 });
    expect(all.counts.dropped_duplicates).toBe(0);
  });

  it("are split by example or by learner like the others, and described in the dataset card", async () => {
    await errorful(8);
    for (let i = 0; i < 6; i++) await clean(`Clean sentence number ${i}.`, { user: "the-same-learner" });
    const byLearner = await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.4, split: [0.5, 0.5], seed: 2 }, { path: out("by-learner") });
    const cleanSplits = (path: string) => ["train", "validation"].map((split) => cleanInputs(path, `${split}.jsonl`).length);
    expect(cleanSplits(byLearner.directory!).filter((count) => count > 0)).toHaveLength(1);
    const byExample = await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.4, split: [0.5, 0.5], split_by: "example", seed: 2 }, { path: out("by-example") });
    expect(cleanSplits(byExample.directory!).every((count) => count > 0)).toBe(true);
    expect(byExample.counts.clean).toEqual({ records: 5, share: 0.4, wanted: 5, available: 6 });
    expect(readFileSync(join(byExample.directory!, "README.md"), "utf8")).toContain(
      "- 5 clean grammar records (fluent, error-free, well-rated interactions; target: no errors, the sentence as written), share asked 0.4\n",
    );
    const stored = await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true });
    expect(stored).toBe(0);
  });

  it("are never marked as used: they are interactions, not queue items", async () => {
    await errorful(4);
    await clean("A clean one to mark.");
    const result = await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.2, mark_used: true }, { path: out("marked") });
    expect(result.counts.clean!.records).toBe(1);
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ exports: result._id })).toBe(4);
  });

  it("keep the better of two with the same text, whatever the seed", async () => {
    await errorful(6);
    const worse = await clean("The same clean text.", { user: "u1" });
    await store.collection(COLLECTIONS.interactions).updateOne({ _id: { $in: idCandidates(worse) } }, { $set: { quality_score: 0.75 } });
    await clean("the SAME clean text!", { user: "u2" });
    for (const seed of [0, 1, 2, 3]) {
      const path = out("better");
      await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.5, seed }, { path });
      expect(cleanInputs(path)).toEqual(["the SAME clean text!"]);
    }
  });

  it("include an interaction queued for another task and not rejected", async () => {
    await errorful(4);
    const queued = await clean("Queued for fluency, still clean.");
    await addToQueue(store, { interaction_id: queued, task_types: ["fluency"], quality_score: 0.9 });
    const path = out("queued");
    await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.2 }, { path });
    expect(cleanInputs(path)).toEqual(["Queued for fluency, still clean."]);
  });

  it("are split by learner across the splits when they come from many learners", async () => {
    await errorful(8);
    for (let i = 0; i < 8; i++) await clean(`Clean sentence by learner ${i}.`, { user: `learner-${i}` });
    const result = await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.5, split: [0.5, 0.5], seed: 1 }, { path: out("many-learners") });
    expect(["train", "validation"].map((split) => cleanInputs(result.directory!, `${split}.jsonl`).length).every((count) => count > 0)).toBe(true);
  });

  it("are written in interaction id order, whatever order they were stored in", async () => {
    await errorful(4);
    for (const id of ["clean-c", "clean-a", "clean-b"]) {
      const base = interactionWith(fluent, 1);
      const { interaction_id } = await logInteraction(store, { ...base, _id: id, user_id: "u1", user_input: { ...base.user_input, text: `Stored as ${id}.` } });
      await submitFeedback(store, { interaction_id, user_id: "rater", rating: 5, helpful: true, accurate: true });
    }
    const path = out("order");
    await exportDataset(store, { format: "alpaca", task_types: ["grammar"], clean_share: 0.4 }, { path });
    const written = lines(join(path, "data.jsonl")).map((line) => line.input).filter((input: string) => input.startsWith("Stored as"));
    expect(written).toEqual(["Stored as clean-a.", "Stored as clean-b.", "Stored as clean-c."]);
  });
});
