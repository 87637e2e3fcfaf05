/**
 * `lexi feedback import`: learners' verdicts. Feedback is keyed by (interaction, learner): a
 * repeated record replaces the earlier verdict, and every interaction must exist before anything
 * is written.
 */
import { FeedbackInput, type ValidFeedback } from "../../../schema/feedback.js";
import { COLLECTIONS } from "../../../store/collections.js";
import { idFilter } from "../../../schema/common.js";
import type { Store } from "../../../store/store.js";
import { submitFeedback } from "../../feedback.js";
import { getInteraction } from "../../interactions.js";
import { importRecords, type ImportSource } from "../import-records.js";
import { RecordCheck, unknownTopFields, type CheckedRecord, type KindImportOptions, type KindImportSummary } from "./record-check.js";

/** Stored beside a verdict: its own id (a verdict is found by interaction and learner) and when it last changed. */
const DERIVED_FEEDBACK_FIELDS = ["_id", "updated_at"] as const;

export async function importFeedback(store: Store, source: ImportSource, options: KindImportOptions = {}): Promise<KindImportSummary> {
  const check = new RecordCheck(FeedbackInput, "feedback", DERIVED_FEEDBACK_FIELDS, options.strict);
  const summary = await importRecords<CheckedRecord<ValidFeedback>>(
    store,
    source,
    {
      what: "feedback",
      validate: async (value, run) => {
        const checked = check.check(value);
        await getInteraction(run, checked.item.interaction_id);
        return checked;
      },
      writeBatch: async (items, run) => {
        const counts = { submitted: 0, replaced: 0, flagged: 0 };
        for (const checked of items) {
          const result = await submitFeedback(run, checked.item);
          // The verdict's own rules drop fields they do not know; unknown ones are kept beside it.
          if (checked.unknown.length) await run.collection(COLLECTIONS.feedback).updateOne(idFilter(result.feedback_id), { $set: unknownTopFields(checked) });
          counts.submitted++;
          if (result.replaced) counts.replaced++;
          if (result.flagged) counts.flagged++;
        }
        return counts;
      },
    },
    options,
  );
  return check.summary(summary);
}
