import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { datasetCard, llamaFactoryDatasetInfo } from "../../src/domain/trainer-files.js";

const files = [
  { split: "train", file: "train.jsonl", records: 90, bytes: 9000 },
  { split: "test", file: "test.jsonl", records: 10, bytes: 1000 },
];

describe("llamaFactoryDatasetInfo", () => {
  it("registers every split file; preference data is a ranking dataset over the single-message columns", () => {
    const info = llamaFactoryDatasetInfo("grammar", "dpo", files) as Record<string, Record<string, unknown>>;
    expect(Object.keys(info)).toEqual(["grammar", "grammar_test"]);
    expect(info.grammar).toMatchObject({ file_name: "train.jsonl", formatting: "sharegpt", ranking: true, columns: { messages: "prompt", chosen: "chosen_message", rejected: "rejected_message" } });
    expect(info.grammar_test!.file_name).toBe("test.jsonl");
  });

  it("marks KTO rows by their label column and has no entry for raw records", () => {
    const info = llamaFactoryDatasetInfo("g", "kto", files) as Record<string, Record<string, unknown>>;
    expect(info.g!.columns).toEqual({ messages: "messages", kto_tag: "label" });
    expect(llamaFactoryDatasetInfo("g", "raw", files)).toBeUndefined();
  });
});

describe("datasetCard", () => {
  it("has front matter naming every split file and its size, for datasets.load_dataset", () => {
    const card = datasetCard({ exportId: "exp-1", format: "openai", files, facts: ["90 train records"] });
    const [, yamlText, body] = card.split(/^---$/m);
    const meta = parse(yamlText!);
    expect(meta.configs[0].data_files).toEqual([
      { split: "train", path: "train.jsonl" },
      { split: "test", path: "test.jsonl" },
    ]);
    expect(meta.dataset_info.splits).toEqual([
      { name: "train", num_examples: 90, num_bytes: 9000 },
      { name: "test", num_examples: 10, num_bytes: 1000 },
    ]);
    expect(meta.dataset_info.features[0].name).toBe("messages");
    expect(body).toContain("- 90 train records");
  });
});
