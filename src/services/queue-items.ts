/**
 * How an interaction becomes a training example: the example copies what training needs, so it
 * outlives the interaction's retention, and starts in the review state `initial()` gives it.
 */
import { ObjectId } from "bson";
import { initial, type Transition } from "../domain/review-state.js";
import type { InteractionDoc } from "../schema/interaction.js";
import type { QueueItemDoc } from "../schema/queue.js";

export interface NewQueueItem {
  tasks: string[];
  quality: number;
  origin: "auto" | "manual";
  notes?: string;
  now: Date;
  /** The example's starting review state; a freshly logged interaction has no feedback yet. */
  review?: Transition;
}

export function buildQueueItem(interaction: InteractionDoc, item: NewQueueItem): QueueItemDoc {
  const review = item.review ?? initial([], item.now);
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
    validated: review.item.validated,
    validated_by: null,
    validated_at: null,
    validation_notes: null,
    notes: item.notes ?? null,
    created_at: item.now,
    used_in_training: false,
    status: review.item.status,
    history: review.entry ? [review.entry] : [],
    flag_reasons: review.item.flag_reasons,
    origin: item.origin,
    exports: [],
  };
}
