/**
 * Bulk imports of interactions and feedback (JSONL/NDJSON or a JSON array, file or stdin).
 */
import { FeedbackInput, type ValidFeedback } from "../schema/feedback.js";
import { InteractionInput } from "../schema/interaction.js";
import type { Store } from "../store/store.js";
import { submitFeedback } from "./feedback.js";
import { getInteraction, writeInteractionBatch, type IntakeOptions } from "./interactions.js";
import { importRecords, type ImportOptions, type ImportSource, type ImportSummary } from "./import/import-records.js";
import { parseInput } from "./validate.js";

/**
 * @example
 * await importInteractions(store, { path: "history.jsonl" }, { skipInvalid: true });
 */
export function importInteractions(store: Store, source: ImportSource, options: ImportOptions & IntakeOptions = {}): Promise<ImportSummary> {
  return importRecords(
    source,
    {
      what: "interaction",
      validate: (value) => parseInput(InteractionInput, value, "interaction"),
      writeBatch: (items) => writeInteractionBatch(store, items, options),
    },
    options,
  );
}

export function importFeedback(store: Store, source: ImportSource, options: ImportOptions = {}): Promise<ImportSummary> {
  return importRecords<ValidFeedback>(
    source,
    {
      what: "feedback",
      validate: async (value) => {
        const feedback = parseInput(FeedbackInput, value, "feedback");
        await getInteraction(store, feedback.interaction_id);
        return feedback;
      },
      writeBatch: async (items) => {
        const counts = { submitted: 0, replaced: 0, flagged: 0 };
        for (const item of items) {
          const result = await submitFeedback(store, item);
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
