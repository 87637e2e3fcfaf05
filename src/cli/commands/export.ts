/**
 * `lexi export` and `lexi exports list|show|verify`.
 */
import { readFile } from "node:fs/promises";
import { ConflictError, InterruptedError, InvalidInputError } from "../../errors.js";
import { parseSplit } from "../../domain/split.js";
import type { ExportDoc, ExportFormat } from "../../schema/export.js";
import { exportDataset, type ExportResult, type ExportTarget } from "../../services/export/export-dataset.js";
import { getExport, listExports, verifyExport, type Verification } from "../../services/exports.js";
import type { Store } from "../../store/store.js";
import { formatDate } from "../output/format.js";
import { startProgress } from "../output/progress.js";
import { renderTable } from "../output/table.js";

export interface ExportCommandOptions {
  task?: string[];
  minQuality?: number;
  validatedOnly?: boolean;
  since?: string;
  until?: string;
  user?: string;
  level?: string;
  limit?: number;
  includeUsed?: boolean;
  format: string;
  dedup?: boolean;
  split?: string;
  splitBy?: string;
  seed?: number;
  out?: string;
  force?: boolean;
  allowEmptySplits?: boolean;
  markUsed?: boolean;
  template?: string;
  cleanShare?: number;
  json?: boolean;
}

/** Without `--out`, every export gets a new folder exports/<export-id>/, and exports/latest links to the newest. */
export const DEFAULT_EXPORTS_ROOT = "exports";

function targetOf(options: ExportCommandOptions): ExportTarget {
  if (options.out === "-") return { stream: process.stdout };
  if (options.out !== undefined) return { path: options.out, force: Boolean(options.force) };
  return { under: DEFAULT_EXPORTS_ROOT };
}

async function readTemplates(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new InvalidInputError(`cannot read the template file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export async function exportCommand(store: Store, options: ExportCommandOptions): Promise<ExportResult> {
  const split = options.split ? parseSplit(options.split) : [1];
  const toStdout = options.out === "-";
  const progress = await startProgress("exporting…", { json: options.json || toStdout });
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await exportDataset(
      store,
      {
        task_types: options.task ?? [],
        min_quality_score: options.minQuality,
        validated_only: Boolean(options.validatedOnly),
        since: options.since,
        until: options.until,
        user_id: options.user,
        level: options.level as never,
        limit: options.limit,
        include_used: Boolean(options.includeUsed),
        format: options.format as ExportFormat,
        dedup: options.dedup ?? true,
        split,
        split_by: (options.splitBy ?? "user") as "user",
        seed: options.seed,
        mark_used: Boolean(options.markUsed),
        allow_empty_splits: Boolean(options.allowEmptySplits),
        templates: (await readTemplates(options.template)) as never,
        clean_share: options.cleanShare,
      },
      targetOf(options),
      {
        signal: abort.signal,
        onProgress: (scanned, written) => progress.update(written ? `writing… ${written.toLocaleString("en")} records` : `reading… ${scanned.toLocaleString("en")} examples`),
      },
    );
  } catch (error) {
    if (abort.signal.aborted) throw new InterruptedError("export interrupted: nothing written, nothing marked as used", { cause: error });
    throw error;
  } finally {
    progress.stop();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

export function renderExport(result: ExportResult): string {
  const { counts } = result;
  const files = renderTable(
    ["split", "records", "learners", "file", "sha256"],
    result.files.map((file) => [file.split, file.records, file.learners ?? "—", file.path, file.sha256.slice(0, 16)]),
  );
  const tasks = Object.entries(counts.per_task).map(([task, n]) => `${task} ${n}`).join(", ");
  const excluded = Object.entries(counts.excluded).filter(([, n]) => n > 0).map(([why, n]) => `${why.replace(/_/g, " ")} ${n}`).join(", ");
  return [
    `Export ${result._id}: ${counts.records} records from ${counts.examples} examples (${result.format})`,
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

export function listExportsCommand(store: Store, options: { limit?: number }): Promise<ExportDoc[]> {
  return listExports(store, options.limit);
}

export function renderExports(items: ExportDoc[]): string {
  if (items.length === 0) return "No exports yet. Try: lexi export --task grammar";
  return renderTable(
    ["id", "created", "state", "format", "records", "splits", "marked used"],
    items.map((e) => [e._id, formatDate(e.created_at), e.replaced_by ? `replaced by ${e.replaced_by}` : (e.state ?? "complete"), e.format, e.counts.records, e.files.map((f) => `${f.split} ${f.records}`).join(", "), e.marked_used ? "yes" : "no"]),
  );
}

export function showExportCommand(store: Store, id: string) {
  return getExport(store, id);
}

export function renderExportDetails(item: ExportDoc & { examples_marked: number }): string {
  return [
    `Export ${item._id} · ${item.state ?? "complete"} · ${formatDate(item.created_at)} · lexi ${item.lexi_version} · ${item.engine}`,
    `format ${item.format} · split ${item.split.ratios.join("/")} by ${item.split.by} (seed ${item.split.seed}) · filters ${JSON.stringify(item.filters)}`,
    renderTable(["split", "records", "learners", "file", "sha256"], item.files.map((f) => [f.split, f.records, f.learners ?? "—", f.path, f.sha256])),
    `examples marked as used by this export: ${item.examples_marked}`,
    item.replaced_by ? `its folder now holds export ${item.replaced_by} (--force)` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

export function verifyExportCommand(store: Store, target: string): Promise<Verification> {
  return verifyExport(store, target);
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
