/**
 * The analytics query of `lexi analytics` and `POST /analytics` (the original's names).
 */
import * as z from "zod";
import { IdString, Timestamp } from "./common.js";
import { TimeZone } from "./time-zone.js";

export const ANALYTICS_METRICS = ["fluency", "grammar", "vocabulary", "engagement"] as const;
export const ANALYTICS_GROUPINGS = ["day", "week", "month", "level"] as const;

export const AnalyticsInput = z
  .object({
    metric: z.enum(ANALYTICS_METRICS),
    group_by: z.enum(ANALYTICS_GROUPINGS).optional(),
    user_id: IdString.optional(),
    start_date: Timestamp.optional(),
    end_date: Timestamp.optional(),
    tz: TimeZone.default("UTC"),
  })
  .refine((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, { message: "the start date must not be after the end date", path: ["start_date"] });
export type AnalyticsInput = z.input<typeof AnalyticsInput>;
export type ValidAnalytics = z.output<typeof AnalyticsInput>;

export interface AnalyticsResult {
  metric: (typeof ANALYTICS_METRICS)[number];
  group_by: (typeof ANALYTICS_GROUPINGS)[number] | null;
  tz: string;
  data: Array<Record<string, unknown> & { group: string }>;
  summary: Record<string, unknown>;
}
