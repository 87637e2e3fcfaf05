/**
 * `lexi interactions import`: tutor turns, auto-queue applied. A record without `_id` gets one
 * derived from its content, so importing the same file again (or after an interrupt) does not
 * store it twice.
 */
import { InteractionInput, type ValidInteraction } from "../../../schema/interaction.js";
import type { Store } from "../../../store/store.js";
import { writeInteractionBatch, type IntakeOptions } from "../../interactions.js";
import { contentId } from "../content-key.js";
import { importRecords, type ImportSource } from "../import-records.js";
import { RecordCheck, type KindImportOptions, type KindImportSummary } from "./record-check.js";

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

/**
 * @example
 * await importInteractions(store, { path: "history.jsonl" }, { skipInvalid: true });
 */
export async function importInteractions(store: Store, source: ImportSource, options: KindImportOptions & IntakeOptions = {}): Promise<KindImportSummary> {
  const check = new RecordCheck(InteractionInput, "interaction", DERIVED_INTERACTION_FIELDS, options.strict);
  const summary = await importRecords<ValidInteraction>(
    store,
    source,
    {
      what: "interaction",
      validate: (value) => {
        const { item } = check.check(value);
        return item._id === undefined ? { ...item, _id: contentId(value) } : item;
      },
      writeBatch: (items, run) => writeInteractionBatch(run, items, options),
    },
    options,
  );
  return check.summary(summary);
}
