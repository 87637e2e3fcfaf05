/**
 * Evaluation metrics per model version.
 */
import { ObjectId } from "bson";
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
  const doc: MetricsDoc = { _id: new ObjectId(), ...input, timestamp: input.timestamp ?? now };
  await store.collection<MetricsDoc>(COLLECTIONS.metrics).insertOne(doc);
  return { metric_id: idText(doc._id) };
}

/** A model's logged metrics, newest first. */
export async function metricsHistory(store: Store, modelName: string, limit = 50): Promise<MetricsDoc[]> {
  const model = parseInput(IdString, modelName, "model name");
  return store.collection<MetricsDoc>(COLLECTIONS.metrics).find({ model_name: model }, { sort: { timestamp: -1 }, limit }).toArray();
}
