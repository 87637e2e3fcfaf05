/**
 * training_queue: curated examples for fine-tuning. The original's fields are kept; lexi adds the
 * review status, the history of decisions and the exports that used an example.
 */
import type { ObjectId } from "bson";
import type { Analysis } from "./interaction.js";
import type { CefrLevel } from "./common.js";

export const QUEUE_STATUSES = ["pending", "approved", "rejected", "flagged"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface QueueDecision {
  decision: "approved" | "rejected" | "flagged" | "unflagged";
  by: string;
  at: Date;
  notes?: string;
}

export interface QueueItemDoc {
  [key: string]: unknown;
  _id: ObjectId;
  source_interaction_id: ObjectId | string;
  user_id: string;
  session_id?: string;
  interaction_timestamp: Date;
  user_input: string;
  expected_output: Analysis;
  task_types: string[];
  difficulty_level: CefrLevel;
  quality_score: number;
  validated: boolean;
  validated_by: string | null;
  validated_at: Date | null;
  validation_notes: string | null;
  notes: string | null;
  created_at: Date;
  used_in_training: boolean;
  status: QueueStatus;
  history: QueueDecision[];
  flag_reasons: string[];
  origin: "auto" | "manual";
  exports: string[];
}
