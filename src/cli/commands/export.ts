/**
 * `lexi export` and `lexi exports list|show|verify`.
 */
import { readFile } from "node:fs/promises";
import { ConflictError, InterruptedError, InvalidInputError } from "../../errors.js";
import { parseSplit } from "../../domain/split.js";
import { ExportInput, ExportTemplates, ListExportsInput, type ExportDoc } from "../../schema/export.js";
import { exportDataset, type ExportResult, type ExportTarget } from "../../services/export/export-dataset.js";
import { getExport, listExports, verifyExport, type Verification } from "../../services/exports.js";
import type { Store } from "../../store/store.js";
import { DATE_HELP, taskOption } from "../input.js";
import { formatDate } from "../output/format.js";
import { startProgress } from "../output/progress.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";

/** Without `--out`, every export gets a new folder exports/<export-id>/, and exports/latest links to the newest. */
export const DEFAULT_EXPORTS_ROOT = "exports";

/** A type's named fields, without its index signature (which `Omit` would keep alone). */
type Named<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** An export as the CLI shows it: its id is `export_id`, the name the manifest uses. */
export type ShownExport<T extends ExportDoc = ExportDoc> = Omit<Named<T>, "_id"> & { export_id: string };

export function shownExport<T extends ExportDoc>({ _id, ...rest }: T): ShownExport<T> {
  return { export_id: _id, ...rest };
}

function targetOf(out: string | undefined, force: boolean): ExportTarget {
  if (out === "-") return { stream: process.stdout };
  if (out !== undefined) return { path: out, force };
  return { under: DEFAULT_EXPORTS_ROOT };
}

async function readTemplates(path: string | undefined): Promise<ExportTemplates | undefined> {
  if (!path) return undefined;
  try {
    return JSON.parse(await readFile(path, "utf8")) as ExportTemplates;
  } catch (error) {
    throw new InvalidInputError(`cannot read the template file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function runExport(store: Store, input: ExportInput, options: { out?: string; force?: boolean; template?: string }, json: boolean): Promise<ShownExport<ExportResult>> {
  const toStdout = options.out === "-";
  const progress = await startProgress("exporting…", { json: json || toStdout });
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const result = await exportDataset(store, { ...input, templates: await readTemplates(options.template) }, targetOf(options.out, Boolean(options.force)), {
      signal: abort.signal,
      onProgress: (scanned, written) => progress.update(written ? `writing… ${written.toLocaleString("en")} records` : `reading… ${scanned.toLocaleString("en")} examples`),
    });
    return shownExport(result);
  } catch (error) {
    if (abort.signal.aborted) throw new InterruptedError("export interrupted: nothing written, nothing marked as used", { cause: error });
    throw error;
  } finally {
    progress.stop();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

export const exportSpec = defineCommand({
  input: ExportInput,
  flags: [
    { flags: "--task <name>", description: "only examples teaching this task (repeatable; any of them matches)", field: "task_types", parse: taskOption },
    { flags: "--min-quality <score>", description: "lowest quality score", field: "min_quality_score" },
    { flags: "--validated-only", description: "only examples a reviewer approved", field: "validated_only" },
    { flags: "--since <date>", description: `learner turns from this date or time: ${DATE_HELP}`, field: "since" },
    { flags: "--until <date>", description: `learner turns up to this date or time: ${DATE_HELP}`, field: "until" },
    { flags: "--user <id>", description: "only this learner", field: "user_id" },
    { flags: "--level <cefr>", description: "only this CEFR level (any case)", field: "level" },
    { flags: "--limit <n>", description: "at most this many records", field: "limit" },
    { flags: "--include-used", description: "also export examples an earlier export marked as used", field: "include_used" },
    { flags: "--format <format>", description: "raw, openai, alpaca, sharegpt, dpo or kto", field: "format" },
    { flags: "--no-dedup", description: "keep repeated learner texts", field: "dedup" },
    { flags: "--split <ratios>", description: "train,validation,test ratios, e.g. 0.9,0.05,0.05", field: "split", parse: (value) => parseSplit(value) },
    { flags: "--split-by <unit>", description: "keep each user or each example in one split", field: "split_by" },
    { flags: "--seed <n>", description: "seed of the split assignment", field: "seed" },
    { flags: "--out <path>", description: "the dataset's folder (default: a new exports/<export-id>/, linked by exports/latest), or - for standard output" },
    { flags: "--force", description: "replace the export an --out folder already holds, whole" },
    { flags: "--allow-empty-splits", description: "write a split that gets no learner instead of refusing", field: "allow_empty_splits" },
    { flags: "--mark-used", description: "mark the exported examples as used in training, once the files are complete", field: "mark_used" },
    { flags: "--template <file>", description: 'JSON of per-task prompts and target fields: {"grammar": {"system": "…", "fields": ["grammar_errors"]}}' },
    { flags: "--clean-share <0..0.9>", description: "this share of the grammar records are clean examples: fluent, error-free, well-rated interactions (openai, alpaca, sharegpt; picked by --seed)", field: "clean_share" },
  ],
  run: ({ store, input, options, json }) => runExport(store, input, options, json),
  render: renderExport,
  // With --out -, standard output carries only data: the summary goes to standard error.
  printTo: (options) => (options.out === "-" ? "stderr" : "stdout"),
});

export function renderExport(result: ShownExport<ExportResult>): string {
  const { counts } = result;
  const files = renderTable(
    ["split", "records", "learners", "file", "sha256"],
    result.files.map((file) => [file.split, file.records, file.learners ?? "—", file.path, file.sha256.slice(0, 16)]),
  );
  const tasks = Object.entries(counts.per_task).map(([task, n]) => `${task} ${n}`).join(", ");
  const excluded = Object.entries(counts.excluded).filter(([, n]) => n > 0).map(([why, n]) => `${why.replace(/_/g, " ")} ${n}`).join(", ");
  return [
    `Export ${result.export_id}: ${counts.records} records from ${counts.examples} examples (${result.format})`,
    files,
    `tasks: ${tasks || "—"} · duplicates dropped: ${counts.dropped_duplicates} · left out: ${excluded || "none"}`,
    counts.without_corrected_sentence ? `${counts.without_corrected_sentence} grammar targets without corrected_sentence (an error's words are not in the learner's text)` : "",
    counts.clean ? cleanLine(counts.clean, counts.per_task.grammar ?? 0) : "",
    result.manifest_path ? `manifest: ${result.manifest_path}` : "",
    result.marked_used ? "The exported examples are now marked as used in training." : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function cleanLine(clean: NonNullable<ExportResult["counts"]["clean"]>, grammar: number): string {
  const reached = grammar ? clean.records / grammar : 0;
  const short = clean.available < clean.wanted ? ` (${formatPercent(clean.share)} asked for ${clean.wanted}: only ${clean.available} interactions qualify)` : "";
  return `clean grammar examples: ${clean.records} of ${grammar} grammar records (${formatPercent(reached)})${short}`;
}

const formatPercent = (share: number) => `${(share * 100).toFixed(1)}%`;

export const list = defineCommand({
  input: ListExportsInput,
  flags: [{ flags: "--limit <n>", description: "at most this many", field: "limit" }],
  run: async ({ store, input }) => (await listExports(store, input)).map(shownExport),
  render: renderExports,
});

export function renderExports(items: ShownExport[]): string {
  if (items.length === 0) return "No exports yet. Try: lexi export --task grammar";
  return renderTable(
    ["id", "created", "state", "format", "records", "splits", "marked used"],
    items.map((e) => [e.export_id, formatDate(e.created_at), e.replaced_by ? `replaced by ${e.replaced_by}` : (e.state ?? "complete"), e.format, e.counts.records, e.files.map((f) => `${f.split} ${f.records}`).join(", "), e.marked_used ? "yes" : "no"]),
  );
}

export const show = defineCommand({
  run: async ({ store, args }) => shownExport(await getExport(store, args[0]!)),
  render: renderExportDetails,
});

export function renderExportDetails(item: ShownExport<ExportDoc & { examples_marked: number }>): string {
  return [
    `Export ${item.export_id} · ${item.state ?? "complete"} · ${formatDate(item.created_at)} · lexi ${item.lexi_version} · ${item.engine}`,
    `format ${item.format} · split ${item.split.ratios.join("/")} by ${item.split.by} (seed ${item.split.seed}) · filters ${JSON.stringify(item.filters)}`,
    renderTable(["split", "records", "learners", "file", "sha256"], item.files.map((f) => [f.split, f.records, f.learners ?? "—", f.path, f.sha256])),
    `examples marked as used by this export: ${item.examples_marked}`,
    item.replaced_by ? `its folder now holds export ${item.replaced_by} (--force)` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

export function renderVerification(result: Verification): string {
  const head = `Export ${result.export_id ?? "(unknown)"}${result.directory ? ` in ${result.directory}` : ""}: ${result.ok ? "every file matches its manifest and the store's record" : "DOES NOT MATCH"}`;
  const files = result.files.length
    ? renderTable(["split", "file", "status", "records", "sha256"], result.files.map((f) => [f.split, f.file, f.status, `${f.records ?? "—"} of ${f.expected_records}`, (f.sha256 ?? "—").slice(0, 16)]))
    : "";
  return [head, result.note ?? "", files, ...result.problems.map((problem) => `- ${problem}`)].filter(Boolean).join("\n");
}

/** Thrown after the report is printed, so a mismatch fails scripts (exit 4). */
export function failOnMismatch(result: Verification): void {
  if (!result.ok) throw new ConflictError(`export ${result.export_id ?? "(unknown)"} does not match its files: ${result.problems.join("; ")}`);
}

export const verify = defineCommand({
  run: ({ store, args }) => verifyExport(store, args[0]!),
  render: renderVerification,
  verdict: failOnMismatch,
});
