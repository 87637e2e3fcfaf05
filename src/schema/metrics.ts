/**
 * model_metrics: evaluation results per model version.
 */
import type { ObjectId } from "bson";
import { z } from "zod";
import { IdString } from "./common.js";

export const MetricsInput = z.object({
  model_name: IdString,
  version: z.string().min(1).max(64).regex(/^[^\s$]+$/, "must not contain spaces or start with $"),
  metrics: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, "metric names are words"), z.number().refine(Number.isFinite, "must be a finite number"))
    .refine((metrics) => Object.keys(metrics).length > 0, "at least one metric is needed"),
  // Free text, bounded so a metrics document stays far below MongoDB's 16 MiB.
  metadata: z
    .record(z.string().max(200), z.union([z.string().max(2_000), z.number(), z.boolean()]))
    .refine((metadata) => Object.keys(metadata).length <= 200, "at most 200 metadata entries")
    .default({}),
  export_id: z.string().min(1).max(64).optional(),
  timestamp: z.date().optional(),
});
export type MetricsInput = z.input<typeof MetricsInput>;

export interface MetricsDoc {
  [key: string]: unknown;
  _id: ObjectId;
  model_name: string;
  version: string;
  metrics: Record<string, number>;
  metadata: Record<string, string | number | boolean>;
  export_id?: string;
  timestamp: Date;
}
