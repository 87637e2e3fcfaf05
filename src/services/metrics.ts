/**
 * Evaluation metrics per model version.
 */
import { ObjectId } from "bson";
import { compareMetrics, missingMetrics, type MetricComparison, type Threshold } from "../domain/regression.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { idText, IdString } from "../schema/common.js";
import { MetricsHistoryInput, MetricsInput, type MetricsDoc } from "../schema/metrics.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Store } from "../store/store.js";
import { parseInput } from "./validate.js";

export interface LogMetricsOptions {
  /** The entry's time when the input has no timestamp. */
  now?: Date;
  /** Delete the entries already logged for this model and version, in the same transaction. */
  replace?: boolean;
}

/**
 * @example
 * await logMetrics(store, { model_name: "qwen-unified", version: "v1.3.0", metrics: { bleu: 0.41, wer: 0.12 }, lower_is_better: ["wer"] });
 */
export async function logMetrics(store: Store, raw: MetricsInput, options: LogMetricsOptions = {}): Promise<{ metric_id: string }> {
  const input = parseInput(MetricsInput, raw, "model metrics");
  if (input.export_id) {
    const known = await store.collection(COLLECTIONS.exports).findOne({ _id: input.export_id }, { projection: { _id: 1 } });
    if (!known) throw new NotFoundError(`no export with id ${input.export_id} (see lexi exports list)`);
  }
  const doc: MetricsDoc = { _id: new ObjectId(), ...input, timestamp: input.timestamp ?? options.now ?? new Date() };
  await store.transaction(async (session) => {
    const metrics = session.collection<MetricsDoc>(COLLECTIONS.metrics);
    if (options.replace) await metrics.deleteMany({ model_name: doc.model_name, version: doc.version });
    await metrics.insertOne(doc);
  });
  return { metric_id: idText(doc._id) };
}

/** How many entries are logged for a version of a model (compare reads only the latest). */
export async function loggedEntries(store: Store, modelName: string, version: string): Promise<number> {
  const model = parseInput(IdString, modelName, "model name");
  return store.collection<MetricsDoc>(COLLECTIONS.metrics).countDocuments({ model_name: model, version: String(version) });
}

/** A model's logged metrics, newest first. */
export async function metricsHistory(store: Store, raw: MetricsHistoryInput): Promise<MetricsDoc[]> {
  const { model_name, limit } = parseInput(MetricsHistoryInput, raw, "metrics history query");
  return store.collection<MetricsDoc>(COLLECTIONS.metrics).find({ model_name }, { sort: { timestamp: -1, _id: -1 }, limit }).toArray();
}

export interface VersionComparison {
  model_name: string;
  base_version: string;
  candidate_version: string;
  metrics: MetricComparison[];
  /** Metrics that got worse past the threshold. */
  regressed: string[];
  /** Metrics the base version has and the candidate lacks. */
  missing: string[];
}

export interface CompareOptions {
  threshold?: Threshold;
  /** Metrics where lower is better, on top of the directions stored when the versions were logged. */
  lowerIsBetter?: string[];
}

/** The latest entry logged for a version of a model. */
async function latestVersion(store: Store, model: string, version: string): Promise<MetricsDoc> {
  const found = await store.collection<MetricsDoc>(COLLECTIONS.metrics).findOne({ model_name: model, version }, { sort: { timestamp: -1, _id: -1 } }); // _id settles equal timestamps
  if (!found) throw new NotFoundError(`no metrics logged for ${model} ${version} (see lexi metrics history ${model})`);
  return found;
}

/**
 * @example
 * const result = await compareVersions(store, "qwen-unified", "v1.2.0", "v1.3.0", { threshold: parseThreshold("2%") });
 * if (gateFailures(result).length) process.exitCode = 1;
 */
export async function compareVersions(store: Store, modelName: string, baseVersion: string, candidateVersion: string, options: CompareOptions = {}): Promise<VersionComparison> {
  const model = parseInput(IdString, modelName, "model name");
  const base = await latestVersion(store, model, baseVersion);
  const candidate = await latestVersion(store, model, candidateVersion);
  const known = new Set([...Object.keys(base.metrics), ...Object.keys(candidate.metrics)]);
  const unknown = (options.lowerIsBetter ?? []).filter((name) => !known.has(name));
  if (unknown.length) {
    throw new InvalidInputError(`lower-is-better names ${unknown.join(", ")}, which neither ${baseVersion} nor ${candidateVersion} logged; their metrics: ${[...known].sort().join(", ")}`);
  }
  const lowerIsBetter = [...new Set([...(options.lowerIsBetter ?? []), ...(base.lower_is_better ?? []), ...(candidate.lower_is_better ?? [])])];
  const metrics = compareMetrics(base.metrics, candidate.metrics, { threshold: options.threshold, lowerIsBetter });
  return {
    model_name: model,
    base_version: baseVersion,
    candidate_version: candidateVersion,
    metrics,
    regressed: metrics.filter((m) => m.regressed).map((m) => m.metric),
    missing: missingMetrics(metrics),
  };
}

/** What fails a gate: every regression, and every missing metric unless missing ones are allowed. */
export function gateFailures(result: VersionComparison, options: { allowMissing?: boolean } = {}): string[] {
  return [...result.regressed, ...(options.allowMissing ? [] : result.missing.map((name) => `${name} (missing)`))];
}
