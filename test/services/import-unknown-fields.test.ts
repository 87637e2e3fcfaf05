/**
 * Fields an import format does not know: kept and listed (with the likely meant name) by default,
 * refused with `strict`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
function jsonl(records: unknown[]): string {
  const path = join(dir, `records-${++files}.jsonl`);
  writeFileSync(path, records.map((record) => JSON.stringify(record)).join("\n") + "\n");
  return path;
}

async function storedInteractions(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `known-${i}`);
  await importInteractions(store, { path: jsonl(demoInteractions(count).map((record, i) => ({ ...record, _id: ids[i] }))) });
  return ids;
}

describe("unknown fields in imports", () => {
  it("feedback: `text` is kept, counted per field and suggested as feedback_text", async () => {
    const [a, b] = await storedInteractions(2);
    const path = jsonl([
      { interaction_id: a, user_id: "u1", rating: 4, text: "clear, thanks" },
      { interaction_id: b, user_id: "u1", rating: 5, text: "great", mood: "happy" },
      { interaction_id: b, user_id: "u2", rating: 5, feedback_text: "fine" },
    ]);
    const summary = await importFeedback(store, { path });
    expect(summary.written.submitted).toBe(3);
    expect(summary.unknown_fields).toEqual([
      { field: "text", records: 2, suggestion: "feedback_text", message: "text: unknown field; did you mean feedback_text?" },
      { field: "mood", records: 1, message: "mood: unknown field" },
    ]);
    const stored = await store.collection(COLLECTIONS.feedback).findOne({ user_id: "u1", rating: 5 });
    expect(stored).toMatchObject({ text: "great", mood: "happy" });
    expect(stored).not.toHaveProperty("feedback_text");
  });

  it("interactions: nested unknown fields are folded over list positions and kept where they were", async () => {
    const [first, second] = demoInteractions(2);
    const withKind = (record: typeof first, id: string) => ({
      ...record!,
      _id: id,
      analysis: { ...record!.analysis, grammar_errors: [{ type: "article", error: "a apple", correction: "an apple", kind: "minor" }, { type: "article", error: "a egg", correction: "an egg", kind: "minor" }] },
      tutor_responce: "typo",
    });
    const summary = await importInteractions(store, { path: jsonl([withKind(first, "n-1"), withKind(second, "n-2")]) });
    expect(summary.unknown_fields).toEqual([
      { field: "analysis.grammar_errors.*.kind", records: 2, message: "analysis.grammar_errors.*.kind: unknown field" },
      { field: "tutor_responce", records: 2, message: "tutor_responce: unknown field" },
    ]);
    const stored = await getInteraction(store, "n-1");
    expect(stored.analysis.grammar_errors.map((error) => (error as Record<string, unknown>).kind)).toEqual(["minor", "minor"]);
    expect(stored.tutor_responce).toBe("typo");
  });

  it("progress and metrics: the near name is suggested, the field kept", async () => {
    const snapshot = { user_id: "u1", level: "B1", fluency_score_avg: 0.5, grammar_accuracy: 0.5, vocabulary_count: 10, streak: 4 };
    const progress = await importProgress(store, { path: jsonl([snapshot]) });
    expect(progress.unknown_fields).toEqual([{ field: "streak", records: 1, suggestion: "study_streak_days", message: "streak: unknown field; did you mean study_streak_days?" }]);
    expect(await store.collection(COLLECTIONS.progress).findOne({ user_id: "u1" })).toMatchObject({ streak: 4, study_streak_days: 0 });

    const metrics = await importMetrics(store, { path: jsonl([{ model_name: "m", version: "v1", metrics: { bleu: 0.4 }, metdata: { lora_rank: 8 } }]) });
    expect(metrics.unknown_fields).toEqual([{ field: "metdata", records: 1, suggestion: "metadata", message: "metdata: unknown field; did you mean metadata?" }]);
    expect(await store.collection(COLLECTIONS.metrics).findOne({ model_name: "m" })).toMatchObject({ metdata: { lora_rank: 8 }, metadata: {} });
  });

  it("with strict, writes nothing and names each record's unknown fields", async () => {
    const [a] = await storedInteractions(1);
    const path = jsonl([
      { interaction_id: a, user_id: "u1", rating: 4, feedback_text: "ok" },
      { interaction_id: a, user_id: "u2", rating: 4, text: "hm" },
    ]);
    const error = (await importFeedback(store, { path }, { strict: true }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("1 of 2 feedback records are invalid; nothing was written");
    expect(error.message).toContain("line 2: invalid feedback (--strict): text: unknown field; did you mean feedback_text?");
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(0);
  });

  it("counts a record once when a resumed import validates it twice", async () => {
    const [a] = await storedInteractions(1);
    const path = jsonl([1, 2, 3].map((rating) => ({ interaction_id: a, user_id: `u${rating}`, rating, text: "x" })));
    const summary = await importFeedback(store, { path }, { resume: true, batchSize: 1 });
    expect(summary.unknown_fields).toEqual([expect.objectContaining({ field: "text", records: 3 })]);
  });

  it("reports nothing for files that use only the documented fields", async () => {
    const summary = await importInteractions(store, { path: jsonl(demoInteractions(5)) });
    expect(summary.unknown_fields).toEqual([]);
  });
});
