/**
 * The trainer files must describe the lines lexi actually writes: every feature of the dataset
 * card and every column or message tag of the LLaMA-Factory entry is checked against a real line of
 * each format, so a renamed column or a wrong tag is caught before a trainer rejects the folder.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatUnit, type ExportUnit } from "../../src/domain/export-formats.js";
import { dpoRecord, ktoRecord } from "../../src/domain/preference-formats.js";
import { datasetCard, llamaFactoryDatasetInfo, TRAINER_FILES, type TrainerFormat } from "../../src/domain/trainer-files.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { demoInteractions } from "../helpers/fixtures.js";

const analysis = InteractionInput.parse(demoInteractions(1)[0]).analysis;
const unit: ExportUnit = { exampleId: "e1", task: "grammar", input: "I go to school yesterday.", analysis, taskTypes: ["grammar"], difficulty: "B1", quality: 0.9 };
const prompt = { system: "List the grammar errors as JSON.", user: unit.input };

type Line = Record<string, unknown>;

const lineOf: Record<Exclude<TrainerFormat, "raw">, () => Line> = {
  openai: () => JSON.parse(formatUnit(unit, "openai", {}).line),
  sharegpt: () => JSON.parse(formatUnit(unit, "sharegpt", {}).line),
  alpaca: () => JSON.parse(formatUnit(unit, "alpaca", {}).line),
  dpo: () => JSON.parse(JSON.stringify(dpoRecord(prompt, "better", "worse"))),
  kto: () => JSON.parse(JSON.stringify(ktoRecord(prompt, "answer", true))),
};

interface Feature {
  name: string;
  dtype?: string;
  list?: Feature[];
  struct?: Feature[];
}

/** Whether a value has the shape a `datasets` feature declares. */
function fits(value: unknown, feature: Omit<Feature, "name">): boolean {
  if (feature.dtype === "string") return typeof value === "string";
  if (feature.dtype === "bool") return typeof value === "boolean";
  const fields = feature.list ?? feature.struct;
  if (!fields) return false;
  const fitsObject = (item: unknown) =>
    typeof item === "object" && item !== null && Object.keys(item).sort().join() === fields.map((f) => f.name).sort().join() && fields.every((f) => fits((item as Line)[f.name], f));
  return feature.list ? Array.isArray(value) && value.length > 0 && value.every(fitsObject) : fitsObject(value);
}

const files = [
  { split: "train", file: "train.jsonl", records: 3 },
  { split: "validation", file: "validation.jsonl", records: 1, bytes: 10 },
];

const frontMatter = (card: string) => parse(card.split(/^---$/m)[1]!);

describe("trainer files against real lines", () => {
  it("name the two files written beside the data", () => {
    expect([...TRAINER_FILES].sort()).toEqual(["README.md", "dataset_info.json"]);
  });

  it.each(Object.keys(lineOf) as Array<keyof typeof lineOf>)("the %s dataset card declares exactly the columns of a line, with their types", (format) => {
    const line = lineOf[format]();
    const meta = frontMatter(datasetCard({ exportId: "exp-9", format, files, facts: [] }));
    const features = meta.dataset_info.features as Feature[];
    expect(features.map((f) => f.name).sort()).toEqual(Object.keys(line).sort());
    for (const feature of features) expect({ column: feature.name, fits: fits(line[feature.name], feature) }).toEqual({ column: feature.name, fits: true });
    expect(meta.tags).toEqual(["lexi", format]);
    expect(meta.configs).toEqual([{ config_name: "default", data_files: [{ split: "train", path: "train.jsonl" }, { split: "validation", path: "validation.jsonl" }] }]);
    expect(meta.dataset_info.splits).toEqual([{ name: "train", num_examples: 3 }, { name: "validation", num_examples: 1, num_bytes: 10 }]);
  });

  it.each(Object.keys(lineOf) as Array<keyof typeof lineOf>)("the %s LLaMA-Factory entry names columns and message tags a line has", (format) => {
    const line = lineOf[format]();
    const info = llamaFactoryDatasetInfo("set", format, files) as Record<string, Line>;
    expect(Object.keys(info)).toEqual(["set", "set_validation"]);
    expect(info.set_validation!.file_name).toBe("validation.jsonl");
    const entry = info.set!;
    expect(entry.file_name).toBe("train.jsonl");
    expect(entry.formatting).toBe(format === "alpaca" ? "alpaca" : "sharegpt");
    expect(entry.ranking === true).toBe(format === "dpo");
    const columns = entry.columns as Record<string, string>;
    for (const column of Object.values(columns)) expect({ column, present: column in line }).toEqual({ column, present: true });
    if (format === "alpaca") {
      expect(columns).toEqual({ prompt: "instruction", query: "input", response: "output" });
      expect(entry.tags).toBeUndefined();
      return;
    }
    const tags = entry.tags as Record<string, string>;
    const messages = [line[columns.messages!], line[columns.chosen ?? columns.messages!], line[columns.rejected ?? columns.messages!]].flat() as Line[];
    for (const message of messages) expect(Object.keys(message).sort()).toEqual([tags.content_tag, tags.role_tag].sort());
    const roles = new Set(messages.map((message) => message[tags.role_tag!]));
    expect(roles).toEqual(new Set([tags.system_tag, tags.user_tag, tags.assistant_tag]));
    if (format === "dpo") expect(columns).toEqual({ messages: "prompt", chosen: "chosen_message", rejected: "rejected_message" });
    if (format === "kto") expect(columns).toEqual({ messages: "messages", kto_tag: "label" });
  });

  it("gives raw records, which no trainer reads as they are, a card without features and no registry", () => {
    const card = datasetCard({ exportId: "exp-raw", format: "raw", files, facts: ["min quality 0.7", "3 records"] });
    const meta = frontMatter(card);
    expect(meta.dataset_info.features).toBeUndefined();
    expect(meta.tags).toEqual(["lexi", "raw"]);
    expect(llamaFactoryDatasetInfo("set", "raw", files)).toBeUndefined();
    expect(card.startsWith("---\n")).toBe(true);
    expect(card.split(/^---$/m)[2]).toBe(
      "\n\n# exp-raw\n\nWritten by lexi in the `raw` format. `manifest.json` holds the filters, counts and checksums;\n`dataset_info.json` registers the files with LLaMA-Factory.\n\n- min quality 0.7\n- 3 records\n",
    );
  });
});
