/**
 * Evaluation metrics per model version.
 */
import { ObjectId } from "bson";
import { compareMetrics, type MetricComparison, type Threshold } from "../domain/regression.js";
import { NotFoundError } from "../errors.js";
import { idText, IdString } from "../schema/common.js";
import { MetricsInput, type MetricsDoc } from "../schema/metrics.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Store } from "../store/store.js";
import { parseInput } from "./validate.js";

/**
 * @example
 * await logMetrics(store, { model_name: "qwen-unified", version: "v1.3.0", metrics: { bleu: 0.41 } });
 */
export async function logMetrics(store: Store, raw: unknown, now = new Date()): Promise<{ metric_id: string }> {
  const input = parseInput(MetricsInput, raw, "model metrics");
  if (input.export_id) {
    const known = await store.collection(COLLECTIONS.exports).findOne({ _id: input.export_id }, { projection: { _id: 1 } });
    if (!known) throw new NotFoundError(`no export with id ${input.export_id} (see lexi exports list)`);
  }
  const doc: MetricsDoc = { _id: new ObjectId(), ...input, timestamp: input.timestamp ?? now };
  await store.collection<MetricsDoc>(COLLECTIONS.metrics).insertOne(doc);
  return { metric_id: idText(doc._id) };
}

/** A model's logged metrics, newest first. */
export async function metricsHistory(store: Store, modelName: string, limit = 50): Promise<MetricsDoc[]> {
  const model = parseInput(IdString, modelName, "model name");
  return store.collection<MetricsDoc>(COLLECTIONS.metrics).find({ model_name: model }, { sort: { timestamp: -1, _id: -1 }, limit }).toArray();
}

export interface VersionComparison {
  model_name: string;
  base_version: string;
  candidate_version: string;
  metrics: MetricComparison[];
  regressed: string[];
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
 * if (result.regressed.length) process.exitCode = 1;
 */
export async function compareVersions(
  store: Store,
  modelName: string,
  baseVersion: string,
  candidateVersion: string,
  options: { threshold?: Threshold; lowerIsBetter?: string[] } = {},
): Promise<VersionComparison> {
  const model = parseInput(IdString, modelName, "model name");
  const base = await latestVersion(store, model, baseVersion);
  const candidate = await latestVersion(store, model, candidateVersion);
  const metrics = compareMetrics(base.metrics, candidate.metrics, options);
  return { model_name: model, base_version: baseVersion, candidate_version: candidateVersion, metrics, regressed: metrics.filter((m) => m.regressed).map((m) => m.metric) };
}
