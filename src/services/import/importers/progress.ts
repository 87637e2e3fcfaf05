/**
 * `lexi progress import`: snapshots saved one at a time and in file order, so each snapshot's
 * trend counts the ones before it.
 */
import { ProgressInput, type ProgressDoc, type ValidProgress } from "../../../schema/progress.js";
import { COLLECTIONS } from "../../../store/collections.js";
import type { Store } from "../../../store/store.js";
import { saveSnapshot } from "../../progress.js";
import { importRecords, type ImportSource } from "../import-records.js";
import { givenOrContentId } from "./given-id.js";
import { RecordCheck, unknownTopFields, type CheckedRecord, type KindImportOptions, type KindImportSummary } from "./record-check.js";

/** The id is read apart; the trend is recomputed from the snapshots before it. */
const DERIVED_PROGRESS_FIELDS = ["_id", "improvement_trend"] as const;

/**
 * @example
 * await importProgress(store, { path: "user_progress.jsonl" });
 */
export async function importProgress(store: Store, source: ImportSource, options: KindImportOptions = {}): Promise<KindImportSummary> {
  const check = new RecordCheck(ProgressInput, "progress snapshot", DERIVED_PROGRESS_FIELDS, options.strict);
  const summary = await importRecords<{ checked: CheckedRecord<ValidProgress>; id: ProgressDoc["_id"] }>(
    store,
    source,
    {
      what: "progress snapshot",
      validate: (value) => {
        const checked = check.check(value);
        return { checked, id: givenOrContentId(checked.converted, value, "progress snapshot") as ProgressDoc["_id"] };
      },
      writeBatch: async (items, run) => {
        const counts = { saved: 0, duplicates: 0 };
        const progress = run.collection<ProgressDoc>(COLLECTIONS.progress);
        for (const { checked, id } of items) {
          if (await progress.findOne({ _id: id }, { projection: { _id: 1 } })) counts.duplicates++;
          else {
            await saveSnapshot(run, checked.item, undefined, id);
            if (checked.unknown.length) await progress.updateOne({ _id: id }, { $set: unknownTopFields(checked) });
            counts.saved++;
          }
        }
        return counts;
      },
    },
    options,
  );
  return check.summary(summary);
}
