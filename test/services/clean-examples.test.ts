/**
 * Clean examples in the grammar task: an opt-in share of fluent, error-free, well-rated
 * interactions, counted in the manifest and chosen the same way for the same seed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { logInteraction } from "../../src/services/interactions.js";
import { addToQueue, validateExample } from "../../src/services/queue.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { interactionWith } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir();
let store: Store;
let folders = 0;
const folder = () => join(dir, `export-${++folders}`);
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));

const ERRORFUL = 40;
const QUALIFYING = 30;
const errorfulText = (i: number) => `Yesterday learner ${i} go to the market.`;
const cleanText = (i: number) => `Yesterday learner ${i} went to the market.`;

async function logged(text: string, user: string, analysis: Parameters<typeof interactionWith>[0]): Promise<string> {
  const base = interactionWith(analysis, 1);
  return (await logInteraction(store, { ...base, user_id: user, user_input: { ...base.user_input, text } })).interaction_id;
}

beforeAll(async () => {
  store = await openStore(":memory:");
  for (let i = 0; i < ERRORFUL; i++) {
    const id = await logged(errorfulText(i), `u${i % 9}`, { grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], fluency_score: 0.3, vocabulary_level: "A2" });
    await addToQueue(store, { interaction_id: id, task_types: ["grammar"], quality_score: 0.9 });
  }
  const fluent = { grammar_errors: [], fluency_score: 0.85, vocabulary_level: "B1" as const };
  for (let i = 0; i < QUALIFYING; i++) {
    const id = await logged(cleanText(i), `u${i % 7}`, fluent);
    await submitFeedback(store, { interaction_id: id, user_id: `rater-${i}`, rating: 5, helpful: true, accurate: true });
  }
  // Each of these misses one condition.
  const lowRating = await logged("A fine sentence rated three.", "u1", fluent);
  await submitFeedback(store, { interaction_id: lowRating, user_id: "r", rating: 3, helpful: true, accurate: true });
  const notFluent = await logged("A halting but correct sentence.", "u1", { ...fluent, fluency_score: 0.5 });
  await submitFeedback(store, { interaction_id: notFluent, user_id: "r", rating: 5, helpful: true, accurate: true });
  const flagged = await logged("A sentence reported as wrong.", "u1", fluent);
  await submitFeedback(store, { interaction_id: flagged, user_id: "r", rating: 5, helpful: true, accurate: true, reported_issues: ["missed_error"] });
  const rejected = await logged("A sentence a reviewer rejected.", "u1", fluent);
  await submitFeedback(store, { interaction_id: rejected, user_id: "r", rating: 5, helpful: true, accurate: true });
  const { example_id } = await addToQueue(store, { interaction_id: rejected, task_types: ["fluency"], quality_score: 0.9 });
  await validateExample(store, { example_id, approved: false, validated_by: "ana" });
  await logged("A sentence nobody rated.", "u1", fluent);
  // Qualifies, but its text is exported with an error too: a sentence is never both right and wrong.
  const twin = await logged(errorfulText(0).toUpperCase(), "u2", fluent);
  await submitFeedback(store, { interaction_id: twin, user_id: "r", rating: 5, helpful: true, accurate: true });
});
afterAll(async () => {
  await store.close();
  cleanup();
});

const grammarExport = (clean_share: number, seed = 0, extra: Record<string, unknown> = {}) =>
  exportDataset(store, { task_types: ["grammar"], format: "alpaca", min_quality_score: 0.7, clean_share, seed, ...extra }, { path: folder() });

describe("clean examples in the grammar task", () => {
  it.each([0.1, 0.2, 0.25, 0.4])("make up a share of %s of the grammar records, within rounding, counted in the manifest", async (share) => {
    const result = await grammarExport(share);
    const records = lines(join(result.directory!, "data.jsonl")).map((line) => ({ input: line.input as string, target: JSON.parse(line.output) }));
    const clean = records.filter((record) => record.target.grammar_errors.length === 0);
    expect(records.length - clean.length).toBe(ERRORFUL);
    expect(Math.abs(clean.length / records.length - share)).toBeLessThanOrEqual(0.5 / records.length + 1e-9);
    for (const record of clean) expect(record.target).toEqual({ grammar_errors: [], corrected_sentence: record.input });
    expect(clean.every((record) => /^Yesterday learner \d+ went to the market\.$/.test(record.input))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(result.directory!, "manifest.json"), "utf8"));
    expect(manifest.counts.clean).toEqual({ records: clean.length, share, wanted: clean.length, available: QUALIFYING });
    expect(manifest.counts.per_task.grammar).toBe(records.length);
    expect(manifest.filters.clean_share).toBe(share);
  });

  it("are none unless asked for", async () => {
    const result = await grammarExport(0);
    expect(result.counts.records).toBe(ERRORFUL);
    expect(result.counts.clean).toBeUndefined();
  });

  it("are the same for the same seed and differ for another", async () => {
    const cleanInputs = async (seed: number) => {
      const result = await grammarExport(0.2, seed, { split: [0.8, 0.2] });
      return { files: result.files.map((file) => file.sha256), inputs: ["train", "validation"].flatMap((split) => lines(join(result.directory!, `${split}.jsonl`))).filter((line) => JSON.parse(line.output).grammar_errors.length === 0).map((line) => line.input).sort() };
    };
    const first = await cleanInputs(7);
    expect(await cleanInputs(7)).toEqual(first);
    expect((await cleanInputs(8)).inputs).not.toEqual(first.inputs);
  });

  it("say so when fewer interactions qualify than the share asks for", async () => {
    const result = await grammarExport(0.9);
    expect(result.counts.clean).toEqual({ records: QUALIFYING, share: 0.9, wanted: 360, available: QUALIFYING });
  });

  it("follow the export's filters", async () => {
    const result = await grammarExport(0.5, 0, { user_id: "u3" });
    const clean = lines(join(result.directory!, "data.jsonl")).filter((line) => JSON.parse(line.output).grammar_errors.length === 0);
    expect(clean.map((line) => line.input).sort()).toEqual([3, 10, 17, 24].map(cleanText).sort());
  });

  it("are refused where they cannot go: raw or preference formats, or without the grammar task", async () => {
    await expect(exportDataset(store, { format: "raw", clean_share: 0.2 }, { path: folder() })).rejects.toThrow(/clean_share: clean examples are grammar records of a chat format/);
    await expect(exportDataset(store, { format: "openai", task_types: ["fluency"], clean_share: 0.2 }, { path: folder() })).rejects.toThrow(/clean_share: clean examples are grammar records: add the grammar task/);
  });
});
