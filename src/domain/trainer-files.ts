/**
 * The files a trainer reads beside a split folder, so no glue code is needed:
 * - `dataset_info.json`: LLaMA-Factory's dataset registry, one entry per split file, naming the
 *   columns and message tags of the export's format (and `ranking` for preference pairs);
 * - `README.md`: a Hugging Face dataset card whose front matter (`configs`, `dataset_info`) lets
 *   `datasets.load_dataset("<folder>")` find the splits and their features.
 *
 * @example
 * llamaFactoryDatasetInfo("grammar-dpo", "dpo", [{ split: "train", file: "train.jsonl", records: 90 }])
 */
import { stringify } from "yaml";

/** The files written beside an export's data for trainers (not checksummed: they describe, not hold, data). */
export const TRAINER_FILES = ["README.md", "dataset_info.json"] as const;

export type TrainerFormat = "raw" | "openai" | "alpaca" | "sharegpt" | "dpo" | "kto";

export interface SplitFile {
  split: string;
  file: string;
  records: number;
  bytes?: number;
}

const CHAT_TAGS = { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" };
const SHAREGPT_TAGS = { role_tag: "from", content_tag: "value", user_tag: "human", assistant_tag: "gpt", system_tag: "system" };

/** LLaMA-Factory's description of one file of a format; undefined for `raw`, which no trainer reads as is. */
function llamaFactoryEntry(format: TrainerFormat, file: string): Record<string, unknown> | undefined {
  switch (format) {
    case "openai":
      return { file_name: file, formatting: "sharegpt", columns: { messages: "messages" }, tags: CHAT_TAGS };
    case "sharegpt":
      return { file_name: file, formatting: "sharegpt", columns: { messages: "conversations" }, tags: SHAREGPT_TAGS };
    case "alpaca":
      return { file_name: file, formatting: "alpaca", columns: { prompt: "instruction", query: "input", response: "output" } };
    case "dpo":
      return { file_name: file, formatting: "sharegpt", ranking: true, columns: { messages: "prompt", chosen: "chosen_message", rejected: "rejected_message" }, tags: CHAT_TAGS };
    case "kto":
      return { file_name: file, formatting: "sharegpt", columns: { messages: "messages", kto_tag: "label" }, tags: CHAT_TAGS };
    case "raw":
      return undefined;
  }
}

/** `dataset_info.json` for a split folder: `<name>` is the train file, `<name>_<split>` the others. */
export function llamaFactoryDatasetInfo(name: string, format: TrainerFormat, files: SplitFile[]): Record<string, unknown> | undefined {
  if (llamaFactoryEntry(format, "") === undefined) return undefined;
  const info: Record<string, unknown> = Object.create(null);
  for (const file of files) info[file.split === "train" ? name : `${name}_${file.split}`] = llamaFactoryEntry(format, file.file);
  return info;
}

const MESSAGE_LIST = { list: [{ name: "content", dtype: "string" }, { name: "role", dtype: "string" }] };
const MESSAGE_STRUCT = { struct: [{ name: "content", dtype: "string" }, { name: "role", dtype: "string" }] };

/** The columns of each format as `datasets` features; `raw` keeps the free-form analysis, so it declares none. */
function features(format: TrainerFormat): Array<Record<string, unknown>> | undefined {
  switch (format) {
    case "openai":
      return [{ name: "messages", ...MESSAGE_LIST }];
    case "sharegpt":
      return [{ name: "conversations", list: [{ name: "from", dtype: "string" }, { name: "value", dtype: "string" }] }];
    case "alpaca":
      return ["instruction", "input", "output"].map((name) => ({ name, dtype: "string" }));
    case "dpo":
      return [
        { name: "prompt", ...MESSAGE_LIST },
        { name: "chosen", ...MESSAGE_LIST },
        { name: "rejected", ...MESSAGE_LIST },
        { name: "chosen_message", ...MESSAGE_STRUCT },
        { name: "rejected_message", ...MESSAGE_STRUCT },
      ];
    case "kto":
      return [
        { name: "prompt", ...MESSAGE_LIST },
        { name: "completion", ...MESSAGE_LIST },
        { name: "label", dtype: "bool" },
        { name: "messages", ...MESSAGE_LIST },
      ];
    case "raw":
      return undefined;
  }
}

export interface DatasetCardInput {
  exportId: string;
  format: TrainerFormat;
  files: SplitFile[];
  /** One line per fact worth knowing (filters, counts), shown in the card's body. */
  facts: string[];
}

/** A Hugging Face dataset card (`README.md`) for a split folder. */
export function datasetCard(input: DatasetCardInput): string {
  const featureList = features(input.format);
  const frontMatter = {
    configs: [{ config_name: "default", data_files: input.files.map((file) => ({ split: file.split, path: file.file })) }],
    dataset_info: {
      ...(featureList ? { features: featureList } : {}),
      splits: input.files.map((file) => ({ name: file.split, num_examples: file.records, ...(file.bytes === undefined ? {} : { num_bytes: file.bytes }) })),
    },
    tags: ["lexi", input.format],
  };
  const body = [
    `# ${input.exportId}`,
    "",
    `Written by lexi in the \`${input.format}\` format. \`manifest.json\` holds the filters, counts and checksums;`,
    "`dataset_info.json` registers the files with LLaMA-Factory.",
    "",
    ...input.facts.map((fact) => `- ${fact}`),
    "",
  ];
  return `---\n${stringify(frontMatter)}---\n\n${body.join("\n")}`;
}
