/**
 * The grammar task's target: the errors, then the learner's sentence with the corrections applied;
 * left out and counted where an error's words are not in the learner's text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { logInteraction } from "../../src/services/interactions.js";
import { addToQueue } from "../../src/services/queue.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { interactionWith } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let store: Store;
let folders = 0;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});
const folder = () => join(dir, `export-${++folders}`);
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));

async function queued(text: string, error: string, correction: string, user = "u1") {
  const base = interactionWith({ grammar_errors: [{ type: "verb_tense", error, correction }], fluency_score: 0.3, vocabulary_level: "A2" }, 1);
  const { interaction_id } = await logInteraction(store, { ...base, user_id: user, user_input: { ...base.user_input, text } });
  await addToQueue(store, { interaction_id, task_types: ["grammar"], quality_score: 0.9 });
}

describe("the grammar target", () => {
  it("ends with the corrected sentence, and counts the records where it had to be left out", async () => {
    await queued("Yesterday I go to school.", "go", "went");
    await queued("She don't like apples.", "don't", "doesn't");
    await queued("He have two cats.", "has got", "has");
    const out = folder();
    const result = await exportDataset(store, { task_types: ["grammar"], format: "alpaca", min_quality_score: 0 }, { path: out });
    const targets = new Map(lines(join(out, "data.jsonl")).map((line) => [line.input, JSON.parse(line.output)]));
    expect(targets.get("Yesterday I go to school.").corrected_sentence).toBe("Yesterday I went to school.");
    expect(targets.get("She don't like apples.").corrected_sentence).toBe("She doesn't like apples.");
    expect(targets.get("He have two cats.")).not.toHaveProperty("corrected_sentence");
    expect(result.counts.without_corrected_sentence).toBe(1);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.counts.without_corrected_sentence).toBe(1);
    const card = readFileSync(join(out, "README.md"), "utf8");
    expect(card).toContain("grammar targets: JSON with grammar_errors, corrected_sentence (corrected_sentence: the learner's sentence with the corrections applied)");
    expect(card).toContain("1 grammar targets without corrected_sentence");
  });

  it("follows a template that leaves the sentence out, counting nothing", async () => {
    await queued("He have two cats.", "has got", "has");
    const out = folder();
    const result = await exportDataset(store, { format: "openai", min_quality_score: 0, templates: { grammar: { fields: ["grammar_errors"] } } }, { path: out });
    expect(JSON.parse(lines(join(out, "data.jsonl"))[0].messages[2].content)).toEqual({ grammar_errors: [{ type: "verb_tense", error: "has got", correction: "has" }] });
    expect(result.counts.without_corrected_sentence).toBe(0);
  });
});
