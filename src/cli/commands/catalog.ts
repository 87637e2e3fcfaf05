/**
 * Every command: its usage (name and arguments, as commander reads them), the line `--help`
 * lists, and where its spec lives. Only this file loads for `lexi --help`; a command's module
 * loads when that command runs or shows its own help.
 */
import type { CommandSpec } from "../spec.js";

export interface CatalogEntry {
  usage: string;
  description: string;
  load(): Promise<CommandSpec>;
}

export const GROUPS: Record<string, string> = {
  interactions: "log, import and inspect tutor interactions",
  feedback: "record and summarize learner feedback",
  queue: "curate training examples",
  exports: "past exports and the files they wrote",
  progress: "learner progress snapshots",
  patterns: "recurring grammar errors",
  metrics: "evaluation metrics per model version, and a CI gate",
};

const entry = (usage: string, description: string, load: () => Promise<unknown>): CatalogEntry => ({ usage, description, load: load as CatalogEntry["load"] });

export const CATALOG: CatalogEntry[] = [
  entry("init", "create the collections and indexes (safe to run again) and list them", async () => (await import("./init.js")).init),
  entry("status", "show the engine, where the data lives and how many documents each collection holds", async () => (await import("./status.js")).status),
  entry("interactions log [json]", "log one interaction from flags, or from its JSON (an argument, or - for standard input); prints its id", async () => (await import("./interactions.js")).log),
  entry("interactions import <file>", "import interactions from JSONL/NDJSON or a JSON array (- reads stdin); auto-queue applies", async () => (await import("./interactions.js")).importInteractions),
  entry("interactions list", "list interactions, newest first", async () => (await import("./interactions.js")).list),
  entry("interactions show <id>", "show one interaction in full", async () => (await import("./interactions.js")).show),
  entry("feedback add", "record one learner's verdict on an interaction (a repeat replaces it)", async () => (await import("./feedback.js")).add),
  entry("feedback import <file>", "import feedback from JSONL/NDJSON or a JSON array (- reads stdin)", async () => (await import("./feedback.js")).importFeedback),
  entry("feedback stats", "average rating, helpful and accurate shares, rating distribution", async () => (await import("./feedback.js")).stats),
  entry("seed", "write realistic, deterministic demo data through the same rules as real data", async () => (await import("./seed.js")).seed),
  entry("queue add <interaction-id>", "queue an interaction as a training example (once per interaction)", async () => (await import("./queue.js")).add),
  entry("queue list", "training examples, best quality first, then oldest", async () => (await import("./queue.js")).list),
  entry("queue show <id>", "one training example with its history of decisions", async () => (await import("./queue.js")).show),
  entry("queue validate <id>", "approve or reject an example (a later decision by the same reviewer replaces theirs)", async () => (await import("./queue.js")).validate),
  entry("queue correct <id>", "correct an example's target (grammar errors, tutor response, vocabulary suggestions); counts as your approval", async () => (await import("./queue.js")).correct),
  entry("queue conflicts", "examples where reviewers disagree", async () => (await import("./queue.js")).conflicts),
  entry("review", "review pending examples in the terminal, one key per decision", async () => (await import("./review.js")).review),
  entry("export", "write a deduplicated, reproducible fine-tuning dataset (JSONL) with a manifest", async () => (await import("./export.js")).exportSpec),
  entry("exports list", "exports, newest first", async () => (await import("./export.js")).list),
  entry("exports show <id>", "one export: filters, files, checksums and how many examples it marked as used", async () => (await import("./export.js")).show),
  entry("exports verify <id-or-folder>", "recompute the checksums of an export's files and compare them with its manifest and record (exit 4 on a mismatch)", async () => (await import("./export.js")).verify),
  entry("progress snapshot", "save a learner's progress snapshot (the trend counts it)", async () => (await import("./progress.js")).snapshot),
  entry("progress import <file>", "import snapshots from JSONL/NDJSON or a JSON array (- reads stdin), in file order", async () => (await import("./progress.js")).importProgress),
  entry("progress history <user>", "a learner's snapshots, oldest first, with a chart", async () => (await import("./progress.js")).history),
  entry("patterns detect", "group the window's grammar errors by type and level, store them and show the top ones", async () => (await import("./patterns.js")).detect),
  entry("patterns user <user>", "one learner's error types with counts and examples", async () => (await import("./patterns.js")).user),
  entry("analytics", "fluency, grammar, vocabulary or engagement, grouped by day, week, month or level", async () => (await import("./analytics.js")).analytics),
  entry("metrics import <file>", "import evaluation entries from JSONL/NDJSON or a JSON array (- reads stdin), e.g. a mongoexport of model_metrics", async () => (await import("./metrics-import.js")).importMetrics),
  entry("metrics log <metrics...>", "log name=number metrics for a model version", async () => (await import("./metrics.js")).log),
  entry("metrics history <model>", "logged metrics, newest first, one column per metric", async () => (await import("./metrics.js")).history),
  entry("metrics compare <model> <base-version> <candidate-version>", "compare two versions; with --fail-on-regression, exit 1 when a metric gets worse past the threshold", async () => (await import("./metrics.js")).compare),
  entry("serve", "serve the HTTP API (the original's routes, OpenAPI docs at /docs); keys from LEXI_API_KEYS", async () => (await import("./serve.js")).serve),
  entry("schema <kind>", "the JSON Schema of an import line: interactions, feedback, progress, metrics (or template: the export --template file)", async () => (await import("./schema.js")).schema),
];
