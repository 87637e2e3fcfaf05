/**
 * The check of one interaction record, which needs no store: the import runs it, or a worker
 * thread does on a large input (see check-worker.ts).
 */
import { InteractionInput, type ValidInteraction } from "../../../schema/interaction.js";
import { contentId } from "../content-key.js";
import { RecordCheck } from "./record-check.js";

/** What lexi (and the original) store beside an interaction's input, recomputed on import: auto-queue and feedback set them again. */
export const DERIVED_INTERACTION_FIELDS = [
  "quality_indicators",
  "training_eligible",
  "training_validated",
  "in_training_queue",
  "indexed_at",
  "quality_score",
  "flagged_for_review",
  "reported_issues",
  "user_feedback",
] as const;

export type InteractionCheck = RecordCheck<typeof InteractionInput>;

export function interactionCheck(strict = false): InteractionCheck {
  return new RecordCheck(InteractionInput, "interaction", DERIVED_INTERACTION_FIELDS, strict);
}

/**
 * The interaction as it will be stored; a record without `_id` gets one derived from its content,
 * so importing the same file again (or after an interrupt) does not store it twice.
 */
export function withImportId(item: ValidInteraction, value: unknown): ValidInteraction {
  return item._id === undefined ? { ...item, _id: contentId(value) } : item;
}
