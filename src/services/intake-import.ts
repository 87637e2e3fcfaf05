/**
 * Bulk imports of interactions and feedback (JSONL/NDJSON or a JSON array, file or stdin).
 */
import { FeedbackInput, type ValidFeedback } from "../schema/feedback.js";
import { InteractionInput, type ValidInteraction } from "../schema/interaction.js";
import type { Store } from "../store/store.js";
import { submitFeedback } from "./feedback.js";
import { getInteraction, writeInteractionBatch, type IntakeOptions } from "./interactions.js";
import { contentId } from "./import/content-key.js";
import { importRecords, type ImportOptions, type ImportSource, type ImportSummary } from "./import/import-records.js";
import { parseInput } from "./validate.js";

/**
 * A record without `_id` gets one derived from its content, so importing the same file again
 * (or after an interrupt) does not store it twice.
 *
 * @example
 * await importInteractions(store, { path: "history.jsonl" }, { skipInvalid: true });
 */
export function importInteractions(store: Store, source: ImportSource, options: ImportOptions & IntakeOptions = {}): Promise<ImportSummary> {
  return importRecords<ValidInteraction>(
    store,
    source,
    {
      what: "interaction",
      validate: (value) => {
        const input = parseInput(InteractionInput, value, "interaction");
        return input._id === undefined ? { ...input, _id: contentId(value) } : input;
      },
      writeBatch: (items, run) => writeInteractionBatch(run, items, options),
    },
    options,
  );
}

/** Feedback is keyed by (interaction, learner): a repeated record replaces the earlier verdict. */
export function importFeedback(store: Store, source: ImportSource, options: ImportOptions = {}): Promise<ImportSummary> {
  return importRecords<ValidFeedback>(
    store,
    source,
    {
      what: "feedback",
      validate: async (value, run) => {
        const feedback = parseInput(FeedbackInput, value, "feedback");
        await getInteraction(run, feedback.interaction_id);
        return feedback;
      },
      writeBatch: async (items, run) => {
        const counts = { submitted: 0, replaced: 0, flagged: 0 };
        for (const item of items) {
          const result = await submitFeedback(run, item);
          counts.submitted++;
          if (result.replaced) counts.replaced++;
          if (result.flagged) counts.flagged++;
        }
        return counts;
      },
    },
    options,
  );
}
