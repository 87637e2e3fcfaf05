/**
 * `lexi interactions import`: tutor turns, auto-queue applied. Large inputs are read and checked
 * by a worker thread while this one writes (see check-worker.ts).
 */
import type { ValidInteraction } from "../../../schema/interaction.js";
import type { Store } from "../../../store/store.js";
import type { OffThreadChecked } from "../checkers.js";
import { writeInteractionBatch, type IntakeOptions } from "../../interactions.js";
import { importRecords, type ImportSource } from "../import-records.js";
import { checkInteraction, interactionCheck } from "./interaction-record.js";
import type { KindImportOptions, KindImportSummary } from "./record-check.js";

/**
 * @example
 * await importInteractions(store, { path: "history.jsonl" }, { skipInvalid: true });
 */
export async function importInteractions(store: Store, source: ImportSource, options: KindImportOptions & IntakeOptions = {}): Promise<KindImportSummary> {
  const check = interactionCheck(options.strict);
  // The same check as the worker thread's, its unknown fields counted here on either path.
  const accept = (checked: OffThreadChecked) => {
    if (checked.unknown) check.note(checked.unknown);
    return checked.item as ValidInteraction;
  };
  const summary = await importRecords<ValidInteraction>(
    store,
    source,
    {
      what: "interaction",
      validate: (value) => accept(checkInteraction(check, value)),
      offThread: { checker: "interaction", strict: options.strict ?? false, accept },
      writeBatch: (items, run) => writeInteractionBatch(run, items, options),
    },
    options,
  );
  return check.summary(summary);
}
