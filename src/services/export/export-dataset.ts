/**
 * `lexi export`: queue items → deduplicated, split, formatted JSONL files with a manifest, streamed
 * from the store cursor in constant memory. Items are marked as used only after the files are
 * complete.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { Writable } from "node:stream";
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { dedupKey } from "../../domain/dedup-key.js";
import { FormatRuleError, formatUnit, type ExportUnit } from "../../domain/export-formats.js";
import { assignSplit } from "../../domain/split.js";
import { idCandidates, idText } from "../../schema/common.js";
import { ExportInput, SPLIT_NAMES, type ExportCounts, type ExportDoc, type ExportFileRecord, type ValidExport } from "../../schema/export.js";
import type { QueueItemDoc } from "../../schema/queue.js";
import { COLLECTIONS } from "../../store/collections.js";
import type { Filter, Store } from "../../store/store.js";
import { LEXI_VERSION } from "../../version.js";
import { parseInput } from "../validate.js";
import { AtomicFile, removeStaleTemporaries, StreamSink, type LineSink } from "./output-file.js";
import { ExportStaging, type StagedUnit } from "./staging.js";

export type ExportTarget = { path: string } | { stream: Writable };

export interface ExportOptions {
  onProgress?: (scanned: number, written: number) => void;
  signal?: AbortSignal;
  now?: Date;
}

export interface ExportResult extends ExportDoc {
  manifest_path: string | null;
}

/**
 * @example
 * await exportDataset(store, { task_types: ["grammar"], format: "openai", split: [0.9, 0.1] }, { path: "out/" });
 */
export async function exportDataset(store: Store, raw: ExportInput, target: ExportTarget, options: ExportOptions = {}): Promise<ExportResult> {
  const input = parseInput(ExportInput, raw, "export options");
  const layout = await planOutput(input, target);
  const staging = new ExportStaging();
  try {
    const counts = emptyCounts(input.split.length);
    let scanned = 0;
    for await (const item of store.collection<QueueItemDoc>(COLLECTIONS.queue).find(queueFilter(input), { sort: { _id: 1 } })) {
      options.signal?.throwIfAborted();
      scanned++;
      for (const unit of stage(item, input, counts)) await staging.add(unit);
      if (scanned % 1000 === 0) options.onProgress?.(scanned, 0);
    }
    await staging.finish();
    const kept = staging.kept;
    if (kept === 0) throw new NotFoundError(`no training examples match these filters${describeExclusions(counts)}; nothing was written`);
    counts.dropped_duplicates = staging.offered - kept;
    const files = await writeOutputs(staging, input, layout, counts, options);
    const now = options.now ?? new Date();
    const exportId = `exp-${now.toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
    if (input.mark_used) await markUsed(store, staging, exportId, input.limit, options.signal);
    const record: ExportDoc = {
      _id: exportId,
      created_at: now,
      lexi_version: LEXI_VERSION,
      engine: store.backend,
      format: input.format,
      filters: describeFilters(input),
      split: { ratios: input.split, by: input.split_by, seed: input.seed },
      files,
      counts,
      marked_used: input.mark_used,
    };
    const manifestPath = layout.manifest ? await writeManifest(layout.manifest, record) : null;
    await store.collection<ExportDoc>(COLLECTIONS.exports).insertOne(record);
    return { ...record, manifest_path: manifestPath };
  } finally {
    await staging.close();
  }
}

interface OutputLayout {
  /** One path per split, or the stream. */
  paths: string[] | null;
  stream: Writable | null;
  manifest: string | null;
}

async function planOutput(input: ValidExport, target: ExportTarget): Promise<OutputLayout> {
  const splits = input.split.length;
  if ("stream" in target) {
    if (splits > 1) throw new InvalidInputError("splits need a directory to write to (--out <dir>), not standard output");
    return { paths: null, stream: target.stream, manifest: null };
  }
  const isDirectory = splits > 1 || target.path.endsWith("/") || (await stat(target.path).then((s) => s.isDirectory(), () => false));
  const folder = isDirectory ? target.path : dirname(target.path);
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new InvalidInputError(`cannot write to ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  const layout = isDirectory
    ? { paths: input.split.map((_, i) => join(folder, `${splits === 1 ? "data" : SPLIT_NAMES[i]}.jsonl`)), stream: null, manifest: join(folder, "manifest.json") }
    : { paths: [target.path], stream: null, manifest: join(folder, `${basename(target.path, extname(target.path))}.manifest.json`) };
  await removeStaleTemporaries(folder, [...layout.paths, layout.manifest].map((path) => basename(path)));
  return layout;
}

function queueFilter(input: ValidExport): Filter {
  const filter: Filter = { quality_score: { $gte: input.min_quality_score } };
  if (input.task_types.length) filter.task_types = { $in: input.task_types };
  if (input.validated_only) filter.validated = true;
  if (input.user_id) filter.user_id = input.user_id;
  if (input.level) filter.difficulty_level = input.level;
  if (input.since || input.until) {
    filter.interaction_timestamp = { ...(input.since ? { $gte: input.since } : {}), ...(input.until ? { $lte: input.until } : {}) };
  }
  return filter;
}

/** One file is "all"; with splits, train / validation / test. */
function splitNames(splits: number): string[] {
  return splits === 1 ? ["all"] : SPLIT_NAMES.slice(0, splits);
}

function emptyCounts(splits: number): ExportCounts {
  return {
    records: 0,
    examples: 0,
    per_split: Object.fromEntries(splitNames(splits).map((name) => [name, 0])),
    per_task: {},
    dropped_duplicates: 0,
    excluded: { rejected: 0, flagged: 0, already_used: 0, invalid_for_format: 0 },
  };
}

/** The units one item contributes, or none, counting why it is left out. */
function stage(item: QueueItemDoc, input: ValidExport, counts: ExportCounts): StagedUnit[] {
  if (item.status === "rejected") return void counts.excluded.rejected++, [];
  if (item.status === "flagged") return void counts.excluded.flagged++, [];
  if (item.used_in_training && !input.include_used) return void counts.excluded.already_used++, [];
  const staged: StagedUnit[] = [];
  const tasks = input.task_types.length ? item.task_types.filter((task) => input.task_types.includes(task)) : item.task_types;
  const exampleId = idText(item._id);
  const split = assignSplit(input.split_by === "user" ? `user:${item.user_id}` : `example:${exampleId}`, input.seed, input.split);
  // Raw records keep the original's shape, one per example; chat formats teach one task per record.
  const units = input.format === "raw" ? [[...tasks].sort().join("+")] : tasks;
  for (const task of units) {
    const unit: ExportUnit = { exampleId, task, input: item.user_input, analysis: item.expected_output, taskTypes: item.task_types, difficulty: item.difficulty_level, quality: item.quality_score };
    let line: string;
    try {
      line = formatUnit(unit, input.format, input.templates);
    } catch (error) {
      if (!(error instanceof FormatRuleError)) throw error;
      counts.excluded.invalid_for_format++;
      continue;
    }
    const ord = `${exampleId}\u0000${task}`;
    staged.push({ key: input.dedup ? dedupKey(task, item.user_input) : ord, ord, exampleId, task, split, quality: item.quality_score, line });
  }
  return staged;
}

async function writeOutputs(staging: ExportStaging, input: ValidExport, layout: OutputLayout, counts: ExportCounts, options: ExportOptions): Promise<ExportFileRecord[]> {
  const sinks = new Map<number, LineSink>();
  const sinkFor = (split: number): LineSink => {
    let sink = sinks.get(split);
    if (!sink) {
      sink = layout.stream ? new StreamSink(layout.stream) : new AtomicFile(layout.paths![split]!);
      sinks.set(split, sink);
    }
    return sink;
  };
  try {
    // Lines are written a few hundred at a time: one write (and hash update) per line costs more.
    const buffered = new Map<number, string[]>();
    const drain = async (split: number) => {
      const lines = buffered.get(split);
      if (lines?.length) await sinkFor(split).write(`${lines.join("\n")}\n`, options.signal);
      buffered.set(split, []);
    };
    for (const unit of staging.winners(input.limit)) {
      options.signal?.throwIfAborted();
      const lines = buffered.get(unit.split) ?? [];
      lines.push(unit.line);
      buffered.set(unit.split, lines);
      if (lines.length >= 256) await drain(unit.split);
      const splitName = splitNames(input.split.length)[unit.split]!;
      counts.records++;
      counts.per_split[splitName] = (counts.per_split[splitName] ?? 0) + 1;
      counts.per_task[unit.task] = (counts.per_task[unit.task] ?? 0) + 1;
      if (counts.records % 1000 === 0) options.onProgress?.(0, counts.records);
    }
    for (const split of buffered.keys()) await drain(split);
    counts.examples = staging.exampleCount(input.limit);
    const files: ExportFileRecord[] = [];
    for (const [split, sink] of [...sinks].sort(([a], [b]) => a - b)) {
      const sha256 = await sink.commit();
      const name = splitNames(input.split.length)[split]!;
      files.push({ split: name, path: layout.paths ? layout.paths[split]! : "-", records: counts.per_split[name] ?? 0, sha256 });
    }
    return files;
  } catch (error) {
    for (const sink of sinks.values()) await sink.abort();
    throw error;
  }
}

async function markUsed(store: Store, staging: ExportStaging, exportId: string, limit: number | undefined, signal?: AbortSignal): Promise<void> {
  for (const ids of staging.exportedExampleIds(limit)) {
    signal?.throwIfAborted();
    await store.collection(COLLECTIONS.queue).updateMany({ _id: { $in: ids.flatMap((id) => idCandidates(id)) } }, { $set: { used_in_training: true }, $addToSet: { exports: exportId } });
  }
}

async function writeManifest(path: string, record: ExportDoc): Promise<string> {
  const file = new AtomicFile(path);
  try {
    await file.write(`${JSON.stringify({ export_id: record._id, ...record, _id: undefined }, null, 2)}\n`);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
  return path;
}

function describeFilters(input: ValidExport): Record<string, unknown> {
  return {
    task_types: input.task_types,
    min_quality_score: input.min_quality_score,
    validated_only: input.validated_only,
    since: input.since ?? null,
    until: input.until ?? null,
    user_id: input.user_id ?? null,
    level: input.level ?? null,
    limit: input.limit ?? null,
    include_used: input.include_used,
    dedup: input.dedup,
  };
}

function describeExclusions(counts: ExportCounts): string {
  const parts = Object.entries(counts.excluded).filter(([, n]) => n > 0).map(([why, n]) => `${n} ${why.replace(/_/g, " ")}`);
  return parts.length ? ` (left out: ${parts.join(", ")})` : "";
}
