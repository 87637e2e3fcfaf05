/**
 * user_feedback: a learner's verdict on one interaction.
 */
import type { ObjectId } from "bson";
import * as z from "zod";
import { IdString, Timestamp } from "./common.js";

export const FeedbackInput = z.object({
  interaction_id: IdString,
  user_id: IdString,
  rating: z.number().int("must be a whole number from 1 to 5").min(1, "must be 1 to 5").max(5, "must be 1 to 5"),
  helpful: z.boolean().optional(),
  accurate: z.boolean().optional(),
  feedback_text: z.string().max(10_000).optional(),
  reported_issues: z.array(z.string().min(1).max(200)).max(50).default([]),
  timestamp: Timestamp.optional(),
});
export type FeedbackInput = z.input<typeof FeedbackInput>;
export type ValidFeedback = z.output<typeof FeedbackInput>;

export interface FeedbackDoc {
  [key: string]: unknown;
  _id: ObjectId;
  interaction_id: ObjectId | string;
  user_id: string;
  rating: number;
  helpful?: boolean;
  accurate?: boolean;
  feedback_text?: string;
  reported_issues: string[];
  timestamp: Date;
  updated_at: Date;
}

export const FeedbackStatsInput = z.object({
  user_id: IdString.optional(),
  days: z.coerce.number().int().min(1).max(3650).default(30),
});
export type FeedbackStatsInput = z.input<typeof FeedbackStatsInput>;
