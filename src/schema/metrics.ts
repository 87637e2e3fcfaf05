/**
 * model_metrics: evaluation results per model version.
 */
import type { ObjectId } from "bson";
import * as z from "zod";
import { IdString, Timestamp } from "./common.js";

const MetricName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, "metric names are words");

export const MetricsInput = z
  .object({
    model_name: IdString,
    version: z.string().min(1).max(64).regex(/^[^\s$]+$/, "must not contain spaces or start with $"),
    metrics: z
      .record(MetricName, z.number().refine(Number.isFinite, "must be a finite number"))
      .refine((metrics) => Object.keys(metrics).length > 0, "at least one metric is needed"),
    // Free text, bounded so a metrics document stays far below MongoDB's 16 MiB.
    metadata: z
      .record(z.string().max(200), z.union([z.string().max(2_000), z.number(), z.boolean()]))
      .refine((metadata) => Object.keys(metadata).length <= 200, "at most 200 metadata entries")
      .default({}),
    export_id: z.string().min(1).max(64).optional(),
    /** Metrics of this entry where lower is better (loss, wer); `compare` reads the direction from here. */
    lower_is_better: z.array(MetricName).max(64).optional(),
    timestamp: Timestamp.optional(),
  })
  .superRefine((input, context) => {
    for (const name of input.lower_is_better ?? []) {
      if (!(name in input.metrics)) context.addIssue({ code: "custom", path: ["lower_is_better"], message: `${name} is not one of the logged metrics (${Object.keys(input.metrics).join(", ")})` });
    }
  });
export type MetricsInput = z.input<typeof MetricsInput>;

/** Which entries `metricsHistory` reads: a model's, newest first, at most `limit`. */
export const MetricsHistoryInput = z.object({
  model_name: IdString,
  limit: z.number().int().min(1).max(10_000).default(50),
});
export type MetricsHistoryInput = z.input<typeof MetricsHistoryInput>;

export interface MetricsDoc {
  [key: string]: unknown;
  _id: ObjectId;
  model_name: string;
  version: string;
  metrics: Record<string, number>;
  metadata: Record<string, string | number | boolean>;
  export_id?: string;
  lower_is_better?: string[];
  timestamp: Date;
}
