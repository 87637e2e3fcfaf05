/**
 * The check of one interaction record, which needs no store: the import runs it, and so does its
 * worker thread on a large input (see check-worker.ts).
 */
import { InteractionInput, type ValidInteraction } from "../../../schema/interaction.js";
import { contentId } from "../content-key.js";
import { RecordCheck, recordUnknowns, type RecordUnknowns } from "./record-check.js";

/** What lexi (and the original) store beside an interaction's input, recomputed on import: auto-queue and feedback set them again. */
const DERIVED_INTERACTION_FIELDS = [
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

export interface CheckedInteraction {
  item: ValidInteraction;
  unknown?: RecordUnknowns;
}

/**
 * Checks one record: the interaction as it will be stored, and its unknown fields, which `check`
 * counts once the caller notes them. A record without `_id` gets one derived from its content,
 * so importing the same file again (or after an interrupt) does not store it twice.
 */
export function checkInteraction(check: InteractionCheck, value: unknown): CheckedInteraction {
  const { item, unknown } = check.inspect(value);
  const unknowns = recordUnknowns(value, unknown);
  return { item: item._id === undefined ? { ...item, _id: contentId(value) } : item, ...(unknowns ? { unknown: unknowns } : {}) };
}
