/**
 * `lexi export`: queue items → deduplicated, split, formatted JSONL files with a manifest, streamed
 * from the store cursor in constant memory. An export is one unit: its files are built in a hidden
 * folder and fsynced, the used-marks and the record are committed together, and only then is the
 * folder moved into place (export-record and dataset-folder say how a kill at any point is
 * finished or undone by the next run).
 */
import { randomBytes } from "node:crypto";
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Writable } from "node:stream";
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { currentOutput } from "../../domain/corrections.js";
import { FormatRuleError, formatUnit, templateFor, type ExportUnit, type FormattedUnit } from "../../domain/export-formats.js";
import { datasetCard, llamaFactoryDatasetInfo } from "../../domain/trainer-files.js";
import { idText } from "../../schema/common.js";
import { ExportInput, PREFERENCE_FORMATS, SPLIT_NAMES, type ExportCounts, type ExportDoc, type ExportFileRecord, type ExportTemplates, type ValidExport } from "../../schema/export.js";
import type { QueueItemDoc } from "../../schema/queue.js";
import { COLLECTIONS } from "../../store/collections.js";
import type { Filter, Store } from "../../store/store.js";
import { LEXI_VERSION } from "../../version.js";
import { parseInput } from "../validate.js";
import { cleanCount } from "../../domain/clean-share.js";
import { stageCleanExamples } from "./clean-examples.js";
import { createTempFolder, planFolder, removeLeftovers } from "./dataset-folder.js";
import { defaultDestination, explicitDestination, MANIFEST, type Destination } from "./destination.js";
import { commitExport, owner, publishExport, recoverExports, undoExport } from "./export-record.js";
import { FileSink, StreamSink, type LineSink } from "./output-file.js";
import { phaseBoundary } from "./phase-hook.js";
import { batches } from "./batches.js";
import { collectFlaggedAnswers, dpoUnits, ktoUnits, learnerRated, type FlaggedAnswers } from "./preference-units.js";
import type { ExportStaging, StagedUnit } from "./staging.js";

/**
 * `path`: a folder of its own (`force` replaces another export there); `under`: a new folder per
 * export inside it, named by the export id, with a `latest` link; `stream`: data lines only.
 */
export type ExportTarget = { path: string; force?: boolean } | { under: string } | { stream: Writable };

/** Examples read and staged together; a kto export asks for their learners' verdicts in one query. */
const BATCH = 500;

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
 * await exportDataset(store, { task_types: ["grammar"], format: "openai", split: [0.9, 0.1] }, { path: "datasets/grammar" });
 */
export async function exportDataset(store: Store, raw: ExportInput, target: ExportTarget, options: ExportOptions = {}): Promise<ExportResult> {
  const input = parseInput(ExportInput, raw, "export options");
  if ("stream" in target && input.split.length > 1) throw new InvalidInputError("splits need a directory to write to (--out <dir>), not standard output");
  await recoverExports(store);
  // Staging is a local SQLite file on either engine; loaded here, so that importing the library
  // or running any other command against MongoDB never loads better-sqlite3.
  const { ExportStaging, removeStaleStaging } = await import("./staging.js");
  removeStaleStaging();
  const now = options.now ?? new Date();
  const exportId = `exp-${now.toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const storeLocation = store.backend === "embedded" ? store.location : null;
  const destination =
    "stream" in target ? null : "under" in target ? await defaultDestination(target.under, exportId) : await explicitDestination(target.path, { force: Boolean(target.force), storeLocation });
  const folder = destination ? planFolder(destination.folder) : null;
  if (folder) await removeLeftovers(dirname(folder.destination));
  const record: ExportDoc = {
    _id: exportId,
    state: "incomplete",
    owner: owner(),
    created_at: now,
    lexi_version: LEXI_VERSION,
    engine: store.backend,
    format: input.format,
    filters: describeFilters(input),
    split: { ratios: input.split, by: input.split_by, seed: input.seed },
    files: [],
    counts: emptyCounts(input.split.length),
    marked_used: input.mark_used,
    directory: destination?.folder ?? null,
    folder,
    latest_root: destination?.latestRoot ?? null,
    replaces: destination?.replaces ?? null,
  };
  await store.collection<ExportDoc>(COLLECTIONS.exports).insertOne(record);
  const staging = new ExportStaging(input.mark_used);
  let committed = false;
  try {
    const counts = record.counts;
    const preference = PREFERENCE_FORMATS.has(input.format) ? { input, templates: input.templates, tally: { unclear: 0, invalid: 0 } } : null;
    const flagged = input.format === "dpo" ? await collectFlaggedAnswers(store, queueFilter(input), input.task_types) : new Map();
    let scanned = 0;
    for await (const batch of batches(store.collection<QueueItemDoc>(COLLECTIONS.queue).find(queueFilter(input), { sort: { _id: 1 } }), BATCH)) {
      const rated = input.format === "kto" ? await learnerRated(store, batch) : new Set<string>();
      for (const item of batch) {
        options.signal?.throwIfAborted();
        scanned++;
        const units = preference ? stagePreference(item, flagged, rated, preference, counts) : stage(item, input, counts);
        if (units.length && item.corrected_output) counts.corrected_examples++;
        for (const unit of units) await staging.add(unit);
        if (scanned % 1000 === 0) options.onProgress?.(scanned, 0);
      }
    }
    const cleanOffered = input.clean_share > 0 ? await stageCleanExamples(store, input, staging, options.signal) : 0;
    await staging.finish();
    await phaseBoundary("staged");
    let cleanKept = 0;
    if (input.clean_share > 0) {
      const clean = staging.keepClean((errorful) => cleanCount(errorful, input.clean_share));
      cleanKept = clean.kept;
      counts.clean = { records: 0, share: input.clean_share, wanted: clean.wanted, available: clean.available };
    }
    const kept = staging.kept;
    if (kept === 0) throw new NotFoundError(`no training examples match these filters${describeExclusions(counts)}; nothing was written`);
    if (preference) {
      counts.preference = { per_source: tally([...staging.recordsPerKeySpace(input.limit)]), unclear: preference.tally.unclear };
      counts.excluded.invalid_for_format += preference.tally.invalid;
    }
    counts.dropped_duplicates = staging.offered - cleanOffered - (kept - cleanKept);
    assignSplits(staging, input);
    if (folder) await createTempFolder(folder);
    record.files = await writeOutputs(staging, input, target, destination, folder?.temp ?? null, counts, options);
    if (folder) {
      await writeManifest(join(folder.temp, MANIFEST), record);
      await writeTrainerFiles(folder.temp, record, input.templates);
    }
    await phaseBoundary("written");
    record.state = folder ? "publishing" : "complete";
    await commitExport(store, record, () => (input.mark_used ? staging.exportedExamples(input.limit) : []), options.signal);
    committed = true;
    await phaseBoundary("committed");
    await publishExport(store, record);
    await phaseBoundary("published");
    record.state = "complete";
    return { ...record, manifest_path: destination ? join(destination.shown, MANIFEST) : null };
  } catch (error) {
    if (!committed) await undoExport(store, record);
    throw error;
  } finally {
    await staging.close();
  }
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

function fileName(splits: number, split: number): string {
  return `${splits === 1 ? "data" : SPLIT_NAMES[split]}.jsonl`;
}

/** Counts keyed by user data (task names) must not meet Object.prototype: null-prototype objects. */
function tally(entries: Array<[string, number]> = []): Record<string, number> {
  return Object.assign(Object.create(null) as Record<string, number>, Object.fromEntries(entries));
}

function emptyCounts(splits: number): ExportCounts {
  const zero = () => tally(splitNames(splits).map((name) => [name, 0]));
  return {
    records: 0,
    examples: 0,
    per_split: zero(),
    learners_per_split: zero(),
    per_task: tally(),
    dropped_duplicates: 0,
    excluded: { rejected: 0, flagged: 0, already_used: 0, invalid_for_format: 0 },
    corrected_examples: 0,
    without_corrected_sentence: 0,
  };
}

/** Cuts the groups into splits; refuses a split that would get none unless allowed. */
function assignSplits(staging: ExportStaging, input: ValidExport): void {
  const cut = staging.assignSplits(input.seed, input.split, input.limit);
  if (!cut) return;
  const { groups, perSplit } = cut;
  if (perSplit.some((n) => n === 0) && !input.allow_empty_splits) {
    const unit = input.split_by === "user" ? "learners" : "examples";
    throw new InvalidInputError(
      `only ${groups} ${unit} match these filters, fewer than the ${input.split.length} splits requested: a split would be empty. ` +
        `Use fewer splits${input.split_by === "user" ? ", --split-by example" : ""} or --allow-empty-splits`,
    );
  }
}

/** The units one item contributes, or none, counting why it is left out. */
function stage(item: QueueItemDoc, input: ValidExport, counts: ExportCounts): StagedUnit[] {
  if (item.status === "rejected") return void counts.excluded.rejected++, [];
  if (item.status === "flagged") return void counts.excluded.flagged++, [];
  if (item.used_in_training && !input.include_used) return void counts.excluded.already_used++, [];
  const staged: StagedUnit[] = [];
  const tasks = input.task_types.length ? item.task_types.filter((task) => input.task_types.includes(task)) : item.task_types;
  const exampleId = idText(item._id);
  const group = input.split_by === "user" ? `user:${item.user_id}` : `example:${exampleId}`;
  // Raw records keep the original's shape, one per example; chat formats teach one task per record.
  const units = input.format === "raw" ? [[...tasks].sort().join("+")] : tasks;
  for (const task of units) {
    const unit: ExportUnit = {
      exampleId,
      task,
      input: item.user_input,
      analysis: currentOutput(item),
      ...(item.corrected_output ? { originalAnalysis: item.expected_output } : {}),
      taskTypes: item.task_types,
      difficulty: item.difficulty_level,
      quality: item.quality_score,
    };
    let formatted: FormattedUnit;
    try {
      formatted = formatUnit(unit, input.format, input.templates);
    } catch (error) {
      if (!(error instanceof FormatRuleError)) throw error;
      counts.excluded.invalid_for_format++;
      continue;
    }
    const ord = `${exampleId}\u0000${task}`;
    staged.push({
      key: input.dedup ? { prefix: "", text: item.user_input } : ord,
      ord,
      exampleId,
      task,
      group,
      userId: String(item.user_id),
      quality: item.quality_score,
      line: formatted.line,
      used: Boolean(item.used_in_training),
      note: formatted.uncorrected ? "uncorrected" : "",
    });
  }
  return staged;
}

/** dpo/kto: the records one example contributes; examples already used are left out as in every format. */
function stagePreference(item: QueueItemDoc, flagged: FlaggedAnswers, rated: Set<string>, context: Parameters<typeof dpoUnits>[2], counts: ExportCounts): StagedUnit[] {
  if (item.used_in_training && !context.input.include_used) return void counts.excluded.already_used++, [];
  if (context.input.format === "kto") return ktoUnits(item, rated, context);
  // Rejected and flagged answers enter dpo only as the rejected side of a pair.
  if (item.status === "rejected") return void counts.excluded.rejected++, [];
  if (item.status === "flagged") return void counts.excluded.flagged++, [];
  return dpoUnits(item, flagged, context);
}

/** LLaMA-Factory's dataset_info.json and a Hugging Face dataset card, beside the data files. */
async function writeTrainerFiles(folder: string, record: ExportDoc, templates: ExportTemplates): Promise<void> {
  const files = await Promise.all(
    record.files.map(async (file) => {
      const name = file.path.split(/[\\/]/).pop()!;
      return { split: file.split === "all" ? "train" : file.split, file: name, records: file.records, bytes: (await stat(join(folder, name))).size };
    }),
  );
  const name = `lexi_${record._id.replace(/[^A-Za-z0-9]+/g, "_")}`;
  const info = llamaFactoryDatasetInfo(name, record.format, files);
  const facts = [
    `${record.counts.records} records from ${record.counts.examples} examples, ${record.counts.corrected_examples} of them corrected by a reviewer`,
    ...grammarTargetFacts(record, templates),
    ...files.map((file) => `${file.split}: ${file.records} records (${file.file})`),
    ...(record.counts.preference ? [`records per source: ${Object.entries(record.counts.preference.per_source).map(([source, n]) => `${source} ${n}`).join(", ")}`] : []),
  ];
  const written: Array<[string, string]> = [["README.md", datasetCard({ exportId: record._id, format: record.format, files, facts })]];
  if (info) written.push(["dataset_info.json", `${JSON.stringify(info, null, 2)}\n`]);
  for (const [file, text] of written) await writeWholeFile(join(folder, file), text);
}

/** How a grammar record's target reads, when the dataset has grammar records in a chat format. */
function grammarTargetFacts(record: ExportDoc, templates: ExportTemplates): string[] {
  if (record.format === "raw" || PREFERENCE_FORMATS.has(record.format) || !record.counts.per_task.grammar) return [];
  const fields = templateFor("grammar", templates).fields;
  const facts = [`grammar targets: JSON with ${fields.join(", ")}${fields.includes("corrected_sentence") ? " (corrected_sentence: the learner's sentence with the corrections applied)" : ""}`];
  const clean = record.counts.clean;
  if (clean) facts.push(`${clean.records} clean grammar records (fluent, error-free, well-rated interactions; target: no errors, the sentence as written), share asked ${clean.share}`);
  if (record.counts.without_corrected_sentence) facts.push(`${record.counts.without_corrected_sentence} grammar targets without corrected_sentence (an error's words are not in the learner's text)`);
  return facts;
}

async function writeOutputs(
  staging: ExportStaging,
  input: ValidExport,
  target: ExportTarget,
  destination: Destination | null,
  tempFolder: string | null,
  counts: ExportCounts,
  options: ExportOptions,
): Promise<ExportFileRecord[]> {
  const splits = input.split.length;
  const names = splitNames(splits);
  // Every requested split gets its file, even an empty one (--allow-empty-splits).
  const sinks: LineSink[] = names.map((_, split) => ("stream" in target ? new StreamSink(target.stream) : new FileSink(join(tempFolder!, fileName(splits, split)))));
  // Counted beside the writing; an export that fails while writing leaves the count unread.
  const written = staging.countWritten(input.limit);
  written.catch(() => undefined);
  try {
    for (const chunk of staging.chunks(input.limit)) {
      options.signal?.throwIfAborted();
      await sinks[chunk.split]!.write(chunk.text, options.signal);
      counts.records += chunk.records;
      options.onProgress?.(0, counts.records);
    }
    options.signal?.throwIfAborted();
    const { units, perSplit } = await written;
    for (const { split, task, note, n } of units) {
      counts.per_split[names[split]!]! += n;
      counts.per_task[task] = (counts.per_task[task] ?? 0) + n;
      if (note === "uncorrected") counts.without_corrected_sentence += n;
      if (note === "clean") counts.clean!.records += n;
    }
    for (const [split, tally] of perSplit) {
      counts.learners_per_split[names[split]!] = tally.learners;
      counts.examples += tally.examples;
    }
    const files: ExportFileRecord[] = [];
    for (let split = 0; split < splits; split++) {
      const name = names[split]!;
      const sha256 = await sinks[split]!.commit();
      files.push({ split: name, path: destination ? join(destination.shown, fileName(splits, split)) : "-", records: counts.per_split[name]!, learners: counts.learners_per_split[name]!, sha256 });
    }
    return files;
  } catch (error) {
    for (const sink of sinks) sink.abort();
    throw error;
  }
}

/** The manifest names its files relative to its folder, so the folder can be moved as a whole. */
async function writeManifest(path: string, record: ExportDoc): Promise<void> {
  const manifest = {
    export_id: record._id,
    created_at: record.created_at,
    lexi_version: record.lexi_version,
    engine: record.engine,
    format: record.format,
    filters: record.filters,
    split: record.split,
    files: record.files.map(({ path: shown, ...file }) => ({ ...file, file: shown.split(/[\\/]/).pop()! })),
    counts: record.counts,
    marked_used: record.marked_used,
    replaces: record.replaces,
  };
  await writeWholeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** One small file, written and fsynced whole, or not left behind at all. */
async function writeWholeFile(path: string, text: string): Promise<void> {
  const file = new FileSink(path);
  try {
    await file.write(text);
    await file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
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
    clean_share: input.clean_share,
  };
}

function describeExclusions(counts: ExportCounts): string {
  const parts = Object.entries(counts.excluded).filter(([, n]) => n > 0).map(([why, n]) => `${n} ${why.replace(/_/g, " ")}`);
  return parts.length ? ` (left out: ${parts.join(", ")})` : "";
}
