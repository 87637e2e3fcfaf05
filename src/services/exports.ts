/**
 * The record of past exports: what was exported, how, and into which files. Reading it first
 * finishes or undoes what killed exports left, so the list never shows a stranded one as live.
 */
import { NotFoundError } from "../errors.js";
import { IdString } from "../schema/common.js";
import { ListExportsInput, type ExportDoc } from "../schema/export.js";
import type { QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Store } from "../store/store.js";
import { recoverExports } from "./export/export-record.js";
import { parseInput } from "./validate.js";

export { verifyExport, type Verification } from "./export/verify-export.js";

export async function listExports(store: Store, raw: ListExportsInput = {}): Promise<ExportDoc[]> {
  const { limit } = parseInput(ListExportsInput, raw, "export listing");
  await recoverExports(store);
  // _id: MongoDB returns equal sort keys in any order otherwise.
  return store.collection<ExportDoc>(COLLECTIONS.exports).find({}, { sort: { created_at: -1, _id: -1 }, limit }).toArray();
}

export async function getExport(store: Store, id: string): Promise<ExportDoc & { examples_marked: number }> {
  const exportId = parseInput(IdString, id, "export id");
  await recoverExports(store);
  const found = await store.collection<ExportDoc>(COLLECTIONS.exports).findOne({ _id: exportId });
  if (!found) throw new NotFoundError(`no export with id ${exportId} (see lexi exports list)`);
  const examples_marked = await store.collection<QueueItemDoc>(COLLECTIONS.queue).countDocuments({ exports: exportId });
  return { ...found, examples_marked };
}
