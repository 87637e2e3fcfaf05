/**
 * `mongoexport --jsonFormat=canonical` lines (made here with bson's own EJSON.stringify) import for
 * every kind, while query operators and other `$` keys stay refused.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Double, EJSON, Long, ObjectId } from "bson";
import { afterAll, describe, expect, it } from "vitest";
import { importFeedback, importInteractions, importMetrics, importProgress } from "../../src/services/intake-import.js";
import { getInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const store = memoryStorePerTest();

let files = 0;
/** One canonical Extended JSON line per document, as `mongoexport --jsonFormat=canonical` writes them. */
function canonicalFile(docs: unknown[]): string {
  const path = join(dir, `canonical-${++files}.jsonl`);
  writeFileSync(path, docs.map((doc) => EJSON.stringify(doc, { relaxed: false })).join("\n") + "\n");
  return path;
}

const INTERACTION_ID = new ObjectId("6650a1f2c3d4e5f601234501");
const SPOKEN_AT = new Date("2026-03-02T08:15:00Z");

/** A stored ai_interactions document of the original, with the fields it derived. */
function storedInteraction() {
  const base = demoInteractions(1)[0]!;
  return {
    ...base,
    _id: INTERACTION_ID,
    timestamp: SPOKEN_AT,
    processing_time_ms: { whisper: new Long(1200), llm: new Double(340.5) },
    user_input: { ...base.user_input, audio_features: { duration_s: new Double(2.5), frames: new Long(48000) } },
    analysis: { ...base.analysis, fluency_score: new Double(0.75), grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }] },
    quality_indicators: { has_grammar_errors: true, error_count: 1, fluency_score: 0.75, vocabulary_level: base.analysis.vocabulary_level, has_pronunciation: false },
    training_eligible: true,
    in_training_queue: true,
    indexed_at: SPOKEN_AT,
  };
}

describe("canonical Extended JSON imports", () => {
  it("interactions: wrappers become numbers, dates and ObjectIds; the derived fields are recomputed", async () => {
    const line = EJSON.stringify(storedInteraction(), { relaxed: false });
    expect(line).toContain('"$numberLong"');
    expect(line).toContain('{"$date":{"$numberLong":"');
    const summary = await importInteractions(store, { path: canonicalFile([storedInteraction()]) });
    expect(summary.written.inserted).toBe(1);
    expect(summary.unknown_fields).toEqual([]);
    const stored = await getInteraction(store, INTERACTION_ID.toHexString());
    expect(stored._id).toBeInstanceOf(ObjectId);
    expect(stored.timestamp).toEqual(SPOKEN_AT);
    expect(stored.processing_time_ms).toEqual({ whisper: 1200, llm: 340.5 });
    expect(stored.analysis.fluency_score).toBe(0.75);
    expect(stored.user_input.audio_features).toEqual({ duration_s: 2.5, frames: 48000 });
    // The export claimed it was queued; lexi's own auto-queue decides (and queues it here).
    expect(stored.in_training_queue).toBe((await store.collection(COLLECTIONS.queue).countDocuments()) === 1);
    expect(stored.indexed_at).not.toEqual(SPOKEN_AT);
  });

  it("feedback: $numberInt ratings and $date timestamps", async () => {
    await importInteractions(store, { path: canonicalFile([storedInteraction()]) });
    const at = new Date("2026-03-03T09:00:00Z");
    const summary = await importFeedback(store, {
      path: canonicalFile([{ _id: new ObjectId(), interaction_id: INTERACTION_ID.toHexString(), user_id: "learner-1", rating: 2, helpful: false, accurate: true, timestamp: at, updated_at: at }]),
    });
    expect(summary.written).toEqual({ submitted: 1, replaced: 0, flagged: 1 });
    const stored = await store.collection(COLLECTIONS.feedback).findOne({ user_id: "learner-1" });
    expect(stored).toMatchObject({ rating: 2, timestamp: at });
    expect(summary.unknown_fields).toEqual([]);
  });

  it("progress: $numberLong counts, the given _id kept, the trend recomputed", async () => {
    const ids = [new ObjectId(), new ObjectId()];
    const snapshot = (i: number) => ({
      _id: ids[i],
      user_id: "learner-1",
      snapshot_date: new Date(Date.UTC(2026, 2, 1 + i)),
      level: "B1",
      fluency_score_avg: new Double(0.5 + i * 0.1),
      grammar_accuracy: new Double(0.7),
      vocabulary_count: new Long(790 + i),
      total_interactions: 77,
      study_streak_days: 3,
      common_errors: [{ type: "article", count: 4 }],
      improvement_trend: "declining",
    });
    const path = canonicalFile([snapshot(0), snapshot(1)]);
    expect((await importProgress(store, { path })).written).toEqual({ saved: 2, duplicates: 0 });
    expect((await importProgress(store, { path })).written).toEqual({ saved: 0, duplicates: 2 });
    const stored = await store.collection(COLLECTIONS.progress).findOne({ _id: ids[1] });
    expect(stored).toMatchObject({ vocabulary_count: 791, fluency_score_avg: 0.6, improvement_trend: "stable", snapshot_date: new Date(Date.UTC(2026, 2, 2)) });
  });

  it("metrics: $numberDouble metrics and a $date timestamp, imported once", async () => {
    const id = new ObjectId();
    const loggedAt = new Date("2026-02-01T00:00:00Z");
    const path = canonicalFile([{ _id: id, model_name: "qwen-unified", version: "v1.3.0", metrics: { bleu: new Double(0.41), wer: new Double(1) }, metadata: { lora_rank: 16 }, timestamp: loggedAt }]);
    expect((await importMetrics(store, { path })).written).toEqual({ logged: 1, duplicates: 0 });
    expect((await importMetrics(store, { path })).written).toEqual({ logged: 0, duplicates: 1 });
    expect(await store.collection(COLLECTIONS.metrics).findOne({ _id: id })).toMatchObject({ metrics: { bleu: 0.41, wer: 1 }, metadata: { lora_rank: 16 }, timestamp: loggedAt });
  });

  it("refuses a NaN where a finite number belongs, naming the field", async () => {
    const path = canonicalFile([{ model_name: "m", version: "v1", metrics: { bleu: new Double(Number.NaN) } }]);
    await expect(importMetrics(store, { path })).rejects.toThrow(/line 1: invalid model metrics: metrics\.bleu/);
  });

  it("keeps refusing query operators and `$` keys that are not value wrappers", async () => {
    const rating = (value: unknown) => JSON.stringify({ interaction_id: INTERACTION_ID.toHexString(), user_id: "u1", rating: value });
    const path = join(dir, "operators.jsonl");
    writeFileSync(path, [rating({ $gt: 0 }), rating({ $where: "sleep(1000)" }), JSON.stringify({ $set: { rating: 5 } }), rating({ $numberDecimal: "4" }), rating({ $numberInt: "4", $comment: "x" })].join("\n"));
    await importInteractions(store, { path: canonicalFile([storedInteraction()]) });
    const error = (await importFeedback(store, { path }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^5 of 5 feedback records are invalid; nothing was written/);
    expect(error.message).toContain("line 1: invalid feedback: rating.$gt: keys starting with $ are not allowed");
    expect(error.message).toContain("line 2: invalid feedback: rating.$where: keys starting with $ are not allowed");
    expect(error.message).toContain("line 3: invalid feedback: $set: keys starting with $ are not allowed");
    expect(error.message).toContain("line 4: invalid feedback: rating.$numberDecimal: keys starting with $ are not allowed");
    expect(error.message).toContain("line 5: invalid feedback: rating.$numberInt: keys starting with $ are not allowed");
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(0);
  });

  it("names a malformed wrapper instead of guessing its value", async () => {
    const line = (rating: unknown) => JSON.stringify({ interaction_id: INTERACTION_ID.toHexString(), user_id: "u1", rating });
    const path = join(dir, "malformed.jsonl");
    writeFileSync(path, [line({ $numberInt: "four" }), line({ $numberLong: "9007199254740993" }), line({ $numberDouble: "x" })].join("\n"));
    await importInteractions(store, { path: canonicalFile([storedInteraction()]) });
    const error = (await importFeedback(store, { path }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("line 1: invalid Extended JSON: rating: $numberInt must hold a 32-bit integer as a string");
    expect(error.message).toContain("line 2: invalid Extended JSON: rating: 9007199254740993 is too large to keep exactly");
    expect(error.message).toContain("line 3: invalid Extended JSON: rating: $numberDouble must hold a number as a string");
  });

  it("still refuses a text $date without a time zone", async () => {
    const path = join(dir, "local-date.jsonl");
    writeFileSync(path, JSON.stringify({ user_id: "u1", level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.5, vocabulary_count: 10, snapshot_date: { $date: "2026-03-02T08:15:00" } }));
    await expect(importProgress(store, { path })).rejects.toThrow(/line 1: invalid progress snapshot: snapshot_date/);
  });
});
