/**
 * dpo and kto records on the cases the main preference tests leave out: which flagged answer a
 * good one is paired with, which examples count as good, what learners' verdicts make an answer
 * desirable, records that break their type's rules, keys under --no-dedup, and the counts and
 * dataset card facts of a preference export.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import type { Analysis } from "../../src/schema/interaction.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
const rows = (folder: string) =>
  readFileSync(join(folder, "data.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

const [demo] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 3, now: FIXED_NOW }).interactions;
const interaction = buildInteractionDoc(InteractionInput.parse(demo), FIXED_NOW);
/** An analysis whose one correction is `correction`: answers told apart by it. */
const answer = (correction: string): Analysis => ({ ...interaction.analysis, grammar_errors: [{ type: "verb_tense", error: "go", correction }] });

function item(i: number, fields: Partial<QueueItemDoc> = {}): QueueItemDoc {
  return {
    ...buildQueueItem(interaction, { tasks: ["grammar"], quality: 0.9, origin: "auto", now: FIXED_NOW }),
    _id: `q-${i}` as never,
    source_interaction_id: `src-${i}` as never,
    user_id: `learner-${i}`,
    user_input: `Sentence ${i}: I go to school.`,
    expected_output: answer(`answer-${i}`),
    ...fields,
  };
}
const queued = (items: QueueItemDoc[]) => store.collection(COLLECTIONS.queue).insertMany(items);
const correctionOf = (message: { content: string }) => JSON.parse(message.content).grammar_errors[0].correction;
const approvedWith = (corrected: Analysis): Partial<QueueItemDoc> => ({ status: "approved", validated: true, corrected_output: corrected, revisions: [{} as never] });

describe("dpo pairs from learners' flags", () => {
  it("pair a good answer with the first flagged answer to the same text that passes the filters", async () => {
    const text = "She go home every day.";
    await queued([
      item(1, { user_input: text }),
      // Stored in the other order: the first by id wins, not the first stored.
      item(3, { user_input: text, status: "flagged", expected_output: answer("second-flagged") }),
      item(2, { user_input: text, status: "flagged", expected_output: answer("first-flagged") }),
      item(4, { user_input: "Another text.", status: "flagged", quality_score: 0.2, expected_output: answer("low-quality") }),
      item(5, { user_input: "Another text." }),
    ]);
    const path = out("flags");
    const result = await exportDataset(store, { format: "dpo", task_types: ["grammar"], min_quality_score: 0.5 }, { path });
    const lines = rows(path);
    expect(lines.map((line) => [line.source, correctionOf(line.chosen[0]), correctionOf(line.rejected[0])])).toEqual([["feedback", "answer-1", "first-flagged"]]);
    expect(result.counts.excluded).toMatchObject({ flagged: 2, rejected: 0 });
    expect(readFileSync(join(path, "README.md"), "utf8")).toContain("- records per source: feedback 1\n");
  });

  it("come only from good answers: approved, or pending and never corrected", async () => {
    const text = "They was late.";
    await queued([
      item(1, { user_input: text }),
      item(2, { user_input: text, status: "approved", validated: true }),
      item(3, { user_input: text, revisions: [{} as never] }),
      item(4, { user_input: text, status: "rejected" }),
      item(9, { user_input: text, status: "flagged", expected_output: answer("flagged") }),
    ]);
    const path = out("good");
    const result = await exportDataset(store, { format: "dpo", dedup: false, min_quality_score: 0 }, { path });
    expect(rows(path).map((line) => [line.prompt[1].content, correctionOf(line.chosen[0])]).sort()).toEqual([
      [text, "answer-1"],
      [text, "answer-2"],
    ]);
    expect(result.counts.excluded).toEqual({ rejected: 1, flagged: 1, already_used: 0, invalid_for_format: 0 });
  });
});

describe("dpo records", () => {
  it("leave out and count a correction that changed nothing, and examples already used", async () => {
    await queued([
      item(1, approvedWith(answer("answer-1"))),
      item(2, approvedWith(answer("fixed"))),
      item(3, { ...approvedWith(answer("fixed-too")), used_in_training: true }),
    ]);
    const path = out("invalid");
    const result = await exportDataset(store, { format: "dpo", min_quality_score: 0 }, { path });
    expect(rows(path).map((line) => [correctionOf(line.chosen[0]), correctionOf(line.rejected[0])])).toEqual([["fixed", "answer-2"]]);
    expect(result.counts.excluded).toEqual({ rejected: 0, flagged: 0, already_used: 1, invalid_for_format: 1 });
    expect(result.counts.preference).toEqual({ per_source: { correction: 1 }, unclear: 0 });
    const card = readFileSync(join(path, "README.md"), "utf8");
    expect(card).toContain("- records per source: correction 1\n");
    expect(card).not.toContain("grammar targets");
  });

  it("keep one record per source and text, or one per example with --no-dedup, each learner's in one group", async () => {
    const text = "We goes out.";
    await queued([item(1, { ...approvedWith(answer("a")), user_input: text }), item(2, { ...approvedWith(answer("b")), user_input: `  ${text.toUpperCase()} ` })]);
    const deduped = await exportDataset(store, { format: "dpo", min_quality_score: 0 }, { path: out("dedup") });
    expect(deduped.counts.records).toBe(1);
    expect(deduped.counts.dropped_duplicates).toBe(1);
    const all = await exportDataset(store, { format: "dpo", min_quality_score: 0, dedup: false, split: [0.5, 0.5] }, { path: out("all") });
    expect(all.counts.records).toBe(2);
    expect({ ...all.counts.learners_per_split }).toEqual({ train: 1, validation: 1 });
    // One learner: one group by learner, two by example.
    await store.collection(COLLECTIONS.queue).updateMany({}, { $set: { user_id: "the-same-learner" } });
    const byLearner = await exportDataset(store, { format: "dpo", min_quality_score: 0, dedup: false, split: [0.5, 0.5], allow_empty_splits: true }, { path: out("by-learner") });
    expect(byLearner.files.map((f) => f.records).sort()).toEqual([0, 2]);
    const byExample = await exportDataset(store, { format: "dpo", min_quality_score: 0, dedup: false, split: [0.5, 0.5], split_by: "example" }, { path: out("by-example") });
    expect(byExample.counts.per_split).toMatchObject({ train: 1, validation: 1 });
  });

  it("are counted per source in the dataset card", async () => {
    await queued([item(1, approvedWith(answer("fixed"))), item(2, { user_input: "Same text." }), item(3, { user_input: "Same text.", status: "flagged" })]);
    const path = out("two-sources");
    await exportDataset(store, { format: "dpo", min_quality_score: 0 }, { path });
    expect(readFileSync(join(path, "README.md"), "utf8")).toContain("- records per source: correction 1, feedback 1\n");
  });

  it("pair a correction only once a reviewer approved it", async () => {
    // A pending example can hold a correction: an approval retracted back to an earlier one.
    await queued([item(1, approvedWith(answer("approved-fix"))), item(2, { corrected_output: answer("pending-fix") })]);
    const path = out("pending-correction");
    await exportDataset(store, { format: "dpo", min_quality_score: 0 }, { path });
    expect(rows(path).map((line) => correctionOf(line.chosen[0]))).toEqual(["approved-fix"]);
  });

  it("mark the examples they come from, including those read as used", async () => {
    await queued([item(1, approvedWith(answer("a"))), item(2, { ...approvedWith(answer("b")), used_in_training: true, exports: ["exp-old"] })]);
    const result = await exportDataset(store, { format: "dpo", min_quality_score: 0, mark_used: true, include_used: true }, { path: out("marks") });
    const items = await store.collection<QueueItemDoc>(COLLECTIONS.queue).find({}, { sort: { _id: 1 } }).toArray();
    expect(items.map((i) => [i.used_in_training, i.exports])).toEqual([
      [true, [result._id]],
      [true, ["exp-old", result._id]],
    ]);
  });
});

describe("a limited preference export", () => {
  it("counts the records per source that the limit keeps", async () => {
    await queued([item(1, approvedWith(answer("a"))), item(2, approvedWith(answer("b"))), item(3, approvedWith(answer("c")))]);
    const result = await exportDataset(store, { format: "dpo", min_quality_score: 0, limit: 2 }, { path: out("limited") });
    expect(result.counts.preference).toEqual({ per_source: { correction: 2 }, unclear: 0 });
    expect(result.counts.records).toBe(2);
  });
});

describe("kto labels from learners' verdicts", () => {
  async function verdicts(interactionId: string, ratings: Array<[number, boolean | undefined]>) {
    await store.collection(COLLECTIONS.feedback).insertMany(
      ratings.map(([rating, accurate], i) => ({ interaction_id: interactionId, user_id: `rater-${i}`, rating, ...(accurate === undefined ? {} : { accurate }), reported_issues: [], timestamp: FIXED_NOW, updated_at: FIXED_NOW })),
    );
  }

  it("call an answer desirable only when every learner rated it 4 or 5 and accurate", async () => {
    await queued([item(1), item(2), item(3), item(4), item(5)]);
    await verdicts("src-1", [[4, true]]);
    await verdicts("src-2", [[5, true], [4, true]]);
    await verdicts("src-3", [[5, undefined]]);
    await verdicts("src-4", [[5, true], [3, true]]);
    await verdicts("src-5", [[5, false]]);
    const path = out("kto");
    const result = await exportDataset(store, { format: "kto", min_quality_score: 0 }, { path });
    expect(rows(path).map((line) => [line.prompt[1].content, line.label, line.source])).toEqual([
      ["Sentence 1: I go to school.", true, "rated"],
      ["Sentence 2: I go to school.", true, "rated"],
    ]);
    expect(result.counts.preference).toEqual({ per_source: { rated: 2 }, unclear: 3 });
  });

  it("ask for the learners' verdicts once per batch of examples, not once per example", async () => {
    await queued(Array.from({ length: 1200 }, (_, i) => item(i + 1)));
    await verdicts("src-600", [[5, true]]);
    await verdicts("src-1200", [[4, true], [5, true]]);
    await verdicts("src-1100", [[4, true], [2, true]]);
    let feedbackQueries = 0;
    const collection = store.collection.bind(store);
    store.collection = ((name: string) => {
      const opened = collection(name);
      if (name !== COLLECTIONS.feedback) return opened;
      const find = opened.find.bind(opened);
      const counted = (...args: Parameters<typeof find>) => (feedbackQueries++, find(...args));
      return new Proxy(opened, { get: (target, key) => (key === "find" ? counted : Reflect.get(target, key, target)) });
    }) as typeof store.collection;
    const path = out("kto-batches");
    const result = await exportDataset(store, { format: "kto", min_quality_score: 0 }, { path });
    expect(rows(path).map((line) => line.prompt[1].content).sort()).toEqual(["Sentence 1200: I go to school.", "Sentence 600: I go to school."]);
    expect(result.counts.preference).toEqual({ per_source: { rated: 2 }, unclear: 1198 });
    expect(feedbackQueries).toBe(3);
  });

  it("leave out and count an answer to an empty text, and one already used", async () => {
    await queued([item(1, { status: "approved", validated: true, user_input: "   " }), item(2, { status: "rejected" }), item(3, { status: "approved", validated: true, used_in_training: true })]);
    const path = out("kto-invalid");
    const result = await exportDataset(store, { format: "kto", min_quality_score: 0, task_types: ["grammar"] }, { path });
    expect(rows(path).map((line) => [line.label, line.source])).toEqual([[false, "rejected"]]);
    expect(result.counts.excluded).toEqual({ rejected: 0, flagged: 0, already_used: 1, invalid_for_format: 1 });
    expect(result.counts.preference).toEqual({ per_source: { rejected: 1 }, unclear: 0 });
  });

  it("give one record per selected task of an example", async () => {
    await queued([item(1, { status: "approved", validated: true, task_types: ["grammar", "fluency", "vocabulary"] })]);
    const all = await exportDataset(store, { format: "kto", min_quality_score: 0 }, { path: out("tasks") });
    expect({ ...all.counts.per_task }).toEqual({ grammar: 1, fluency: 1, vocabulary: 1 });
    const two = await exportDataset(store, { format: "kto", min_quality_score: 0, task_types: ["fluency", "vocabulary"] }, { path: out("two-tasks") });
    expect({ ...two.counts.per_task }).toEqual({ fluency: 1, vocabulary: 1 });
  });
});
