import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { logInteraction } from "../../src/services/interactions.js";
import { addToQueue, validateExample } from "../../src/services/queue.js";
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

const rows = (folder: string, file = "data.jsonl") =>
  readFileSync(join(folder, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
const folder = () => join(dir, `export-${++folders}`);

/** An example queued by hand (one grammar error, low fluency, A1: never auto-queued). */
async function example(text: string, user: string, correction = "goes") {
  const base = interactionWith({ grammar_errors: [{ type: "article", error: "go", correction }], fluency_score: 0.3, vocabulary_level: "A1" }, 1);
  const { interaction_id } = await logInteraction(store, { ...base, user_id: user, user_input: { ...base.user_input, text } });
  const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"], quality_score: 0.9 });
  return { interaction_id, example_id };
}
const fix = { grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], tutor_response: "Yesterday I went to school." };

/** TRL's conversational columns, checked here without lexi's own validator. */
function trlMessages(value: unknown, roles: string[]): boolean {
  return Array.isArray(value) && value.length === roles.length && value.every((m, i) => m?.role === roles[i] && typeof m?.content === "string" && m.content.trim().length > 0);
}

describe("dpo export", () => {
  it("pairs a correction with the model's answer, and a good answer with a flagged one for the same text", async () => {
    const corrected = await example("Yesterday I go to school.", "u1");
    await validateExample(store, { example_id: corrected.example_id, approved: true, validated_by: "ana", corrected_output: fix });
    await example("She go home every day.", "u2");
    const bad = await example("She go home every day!", "u3", "going");
    await submitFeedback(store, { interaction_id: bad.interaction_id, user_id: "u3", rating: 1 });
    await example("Nothing to pair here.", "u4");

    const out = folder();
    const result = await exportDataset(store, { format: "dpo", task_types: ["grammar"], min_quality_score: 0 }, { path: out });
    const lines = rows(out);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(trlMessages(line.prompt, ["system", "user"])).toBe(true);
      expect(trlMessages(line.chosen, ["assistant"]) && trlMessages(line.rejected, ["assistant"])).toBe(true);
      expect(line.chosen[0].content).not.toBe(line.rejected[0].content);
      expect(line.chosen_message).toEqual(line.chosen[0]);
    }
    const byText = new Map(lines.map((line) => [line.prompt[1].content, line]));
    expect(JSON.parse(byText.get("Yesterday I go to school.")!.chosen[0].content).grammar_errors[0].correction).toBe("went");
    expect(byText.get("Yesterday I go to school.")!.source).toBe("correction");
    expect(byText.get("She go home every day.")!.source).toBe("feedback");
    expect(result.counts.preference).toEqual({ per_source: { correction: 1, feedback: 1 }, unclear: 0 });
    expect(result.counts.corrected_examples).toBe(1);
  });

  it("keeps a learner's pairs in one split, and writes the files trainers read", async () => {
    const learnerOf = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const user = `learner-${i % 12}`;
      const text = `Sentence number ${i} I go to school.`;
      learnerOf.set(text, user);
      const { example_id } = await example(text, user);
      await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: fix });
    }
    const out = folder();
    await exportDataset(store, { format: "dpo", task_types: ["grammar"], min_quality_score: 0, split: [0.8, 0.2], seed: 3 }, { path: out });
    const splitOf = new Map<string, string>();
    for (const split of ["train", "validation"]) {
      for (const line of rows(out, `${split}.jsonl`)) {
        const learner = learnerOf.get(line.prompt[1].content)!;
        expect(splitOf.get(learner) ?? split).toBe(split);
        splitOf.set(learner, split);
      }
    }
    expect(new Set(splitOf.values()).size).toBe(2);

    const info = JSON.parse(readFileSync(join(out, "dataset_info.json"), "utf8"));
    const entries = Object.values(info) as Array<{ file_name: string; ranking?: boolean }>;
    expect(entries.map((e) => e.file_name).sort()).toEqual(["train.jsonl", "validation.jsonl"]);
    for (const entry of entries) expect(existsSync(join(out, entry.file_name)) && entry.ranking).toBe(true);
    const card = parse(readFileSync(join(out, "README.md"), "utf8").split(/^---$/m)[1]!);
    for (const file of card.configs[0].data_files) expect(existsSync(join(out, file.path))).toBe(true);
  });
});

describe("kto export", () => {
  it("labels answers with a clear verdict and counts the unclear ones", async () => {
    const approved = await example("Approved text here.", "u1");
    await validateExample(store, { example_id: approved.example_id, approved: true, validated_by: "ana" });
    const rejected = await example("Rejected text here.", "u2");
    await validateExample(store, { example_id: rejected.example_id, approved: false, validated_by: "ana" });
    const flagged = await example("Flagged text here.", "u3");
    await submitFeedback(store, { interaction_id: flagged.interaction_id, user_id: "u3", rating: 2 });
    const rated = await example("Rated text here.", "u4");
    await submitFeedback(store, { interaction_id: rated.interaction_id, user_id: "u4", rating: 5, helpful: true, accurate: true });
    await example("Unclear text here.", "u5");
    const corrected = await example("Corrected text here.", "u6");
    await validateExample(store, { example_id: corrected.example_id, approved: true, validated_by: "bo", corrected_output: fix });

    const out = folder();
    const result = await exportDataset(store, { format: "kto", task_types: ["grammar"], min_quality_score: 0 }, { path: out });
    const labels = new Map<string, boolean[]>();
    for (const line of rows(out)) {
      expect(trlMessages(line.prompt, ["system", "user"]) && trlMessages(line.completion, ["assistant"])).toBe(true);
      expect(typeof line.label).toBe("boolean");
      expect(line.messages).toEqual([...line.prompt, ...line.completion]);
      labels.set(line.prompt[1].content, [...(labels.get(line.prompt[1].content) ?? []), line.label]);
    }
    expect(Object.fromEntries(labels)).toEqual({
      "Approved text here.": [true],
      "Rejected text here.": [false],
      "Flagged text here.": [false],
      "Rated text here.": [true],
      "Corrected text here.": [true, false],
    });
    expect(result.counts.preference!.unclear).toBe(1);
    expect(result.counts.preference!.per_source).toEqual({ approved: 2, rejected: 1, flagged: 1, rated: 1, corrected_away: 1 });
  });
});

describe("corrected examples in the other formats", () => {
  it("train on the corrected target; raw keeps the tutor's own output beside it", async () => {
    const { example_id } = await example("Yesterday I go to school.", "u1");
    await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: fix });
    const rawOut = folder();
    const raw = await exportDataset(store, { format: "raw", min_quality_score: 0 }, { path: rawOut });
    const [record] = rows(rawOut);
    expect(record.output.grammar_errors[0].correction).toBe("went");
    expect(record.original_output.grammar_errors[0].correction).toBe("goes");
    expect(raw.counts.corrected_examples).toBe(1);
    const chatOut = folder();
    await exportDataset(store, { format: "openai", min_quality_score: 0 }, { path: chatOut });
    expect(JSON.parse(rows(chatOut)[0].messages[2].content).grammar_errors[0].correction).toBe("went");
  });
});

describe("--template fields", () => {
  it("refuses a field the analysis does not have, naming the ones it has, and writes nothing", async () => {
    await example("Yesterday I go to school.", "u1");
    const out = folder();
    const error = await exportDataset(store, { format: "openai", min_quality_score: 0, templates: { grammar: { fields: ["corrected_text"] } } }, { path: out }).catch((e) => e);
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/"corrected_text" is not a field of the analysis; use corrected_sentence, fluency_score, vocabulary_level, grammar_errors/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("dpo splits (property)", () => {
  it("never puts one learner's pairs in two splits, whatever the learners, seed and ratios", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 4, maxLength: 24 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom<number[]>([0.5, 0.5], [0.8, 0.2], [0.6, 0.2, 0.2]),
        async (owners, seed, split) => {
          await store.close();
          store = await openStore(":memory:");
          const learnerOf = new Map<string, string>();
          for (const [i, owner] of owners.entries()) {
            const text = `Pair ${i}: I go to school.`;
            learnerOf.set(text, `learner-${owner}`);
            const { example_id } = await example(text, `learner-${owner}`);
            await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: fix });
          }
          const out = folder();
          await exportDataset(store, { format: "dpo", min_quality_score: 0, split, seed, allow_empty_splits: true }, { path: out });
          const splitOf = new Map<string, string>();
          for (const name of ["train", "validation", "test"].slice(0, split.length)) {
            for (const line of rows(out, `${name}.jsonl`)) {
              const learner = learnerOf.get(line.prompt[1].content)!;
              if ((splitOf.get(learner) ?? name) !== name) return false;
              splitOf.set(learner, name);
            }
          }
          return splitOf.size === new Set(owners).size;
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
