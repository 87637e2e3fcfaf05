/**
 * error_patterns: recurring mistakes across learners, one document per (error type, level).
 */
import type { ObjectId } from "bson";
import * as z from "zod";
import { IdString } from "./common.js";

/** Bounds that keep every pattern document small, whatever the number of learners. */
export const MAX_EXAMPLES_PER_PATTERN = 10;
export const MAX_SAMPLE_USERS = 10;

export const DetectPatternsInput = z.object({
  days: z.number().int().min(1).max(3650).default(7),
  min_frequency: z.number().int().min(1).default(5),
});
export type DetectPatternsInput = z.input<typeof DetectPatternsInput>;

export const UserPatternsInput = z.object({
  user_id: IdString,
  days: z.number().int().min(1).max(3650).default(30),
});
export type UserPatternsInput = z.input<typeof UserPatternsInput>;

export interface ErrorPatternDoc {
  [key: string]: unknown;
  _id: ObjectId;
  error_type: string;
  level: string;
  frequency: number;
  affected_users: number;
  example_errors: Array<{ error: string; correction: string; count: number }>;
  sample_users: string[];
  window_days: number;
  detected_at: Date;
}
