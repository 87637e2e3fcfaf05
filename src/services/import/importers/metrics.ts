/**
 * `lexi metrics import`: evaluation entries, such as a `mongoexport` of the original's
 * model_metrics collection. Each entry keeps its `_id` (else one derived from its content), so
 * importing the same file again stores nothing twice.
 */
import { NotFoundError } from "../../../errors.js";
import { idText } from "../../../schema/common.js";
import { MetricsInput, type MetricsDoc } from "../../../schema/metrics.js";
import { COLLECTIONS } from "../../../store/collections.js";
import type { Store } from "../../../store/store.js";
import { importRecords, type ImportSource } from "../import-records.js";
import { givenOrContentId } from "./given-id.js";
import { RecordCheck, type KindImportOptions, type KindImportSummary } from "./record-check.js";

/**
 * @example
 * await importMetrics(store, { path: "model_metrics.jsonl" });
 */
export async function importMetrics(store: Store, source: ImportSource, options: KindImportOptions & { now?: Date } = {}): Promise<KindImportSummary> {
  const check = new RecordCheck(MetricsInput, "model metrics", ["_id"], options.strict);
  const now = options.now ?? new Date();
  const summary = await importRecords<MetricsDoc>(
    store,
    source,
    {
      what: "model metrics",
      validate: async (value, run) => {
        const { item, converted } = check.check(value);
        if (item.export_id && !(await run.collection(COLLECTIONS.exports).findOne({ _id: item.export_id }, { projection: { _id: 1 } }))) {
          throw new NotFoundError(`no export with id ${item.export_id} (see lexi exports list)`);
        }
        return { ...item, _id: givenOrContentId(converted, value, "model metrics") as MetricsDoc["_id"], timestamp: item.timestamp ?? now };
      },
      writeBatch: async (docs, run) => {
        const metrics = run.collection<MetricsDoc>(COLLECTIONS.metrics);
        const seen = new Set((await metrics.find({ _id: { $in: docs.map((doc) => doc._id) } }, { projection: { _id: 1 } }).toArray()).map((doc) => idText(doc._id)));
        const fresh: MetricsDoc[] = [];
        for (const doc of docs) {
          if (seen.has(idText(doc._id))) continue;
          seen.add(idText(doc._id));
          fresh.push(doc);
        }
        if (fresh.length) await metrics.insertMany(fresh);
        return { logged: fresh.length, duplicates: docs.length - fresh.length };
      },
    },
    options,
  );
  return check.summary(summary);
}
