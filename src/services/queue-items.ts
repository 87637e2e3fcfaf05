/**
 * How an interaction becomes a training example: the example copies what training needs, so it
 * outlives the interaction's retention.
 */
import { ObjectId } from "bson";
import type { InteractionDoc } from "../schema/interaction.js";
import type { QueueItemDoc } from "../schema/queue.js";

export interface NewQueueItem {
  tasks: string[];
  quality: number;
  origin: "auto" | "manual";
  notes?: string;
  now: Date;
}

export function buildQueueItem(interaction: InteractionDoc, item: NewQueueItem): QueueItemDoc {
  const flagged = interaction.flagged_for_review === true;
  return {
    _id: new ObjectId(),
    source_interaction_id: interaction._id,
    user_id: interaction.user_id,
    session_id: interaction.session_id,
    interaction_timestamp: interaction.timestamp,
    user_input: interaction.user_input.text,
    expected_output: interaction.analysis,
    task_types: item.tasks,
    difficulty_level: interaction.analysis.vocabulary_level,
    quality_score: item.quality,
    validated: false,
    validated_by: null,
    validated_at: null,
    validation_notes: null,
    notes: item.notes ?? null,
    created_at: item.now,
    used_in_training: false,
    status: flagged ? "flagged" : "pending",
    history: [],
    flag_reasons: flagged ? [...(interaction.reported_issues ?? [])] : [],
    origin: item.origin,
    exports: [],
  };
}
