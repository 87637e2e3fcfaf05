/**
 * The record of past exports: what was exported, how, and into which files.
 */
import { NotFoundError } from "../errors.js";
import { IdString } from "../schema/common.js";
import type { ExportDoc } from "../schema/export.js";
import type { QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Store } from "../store/store.js";
import { parseInput } from "./validate.js";

export async function listExports(store: Store, limit = 50): Promise<ExportDoc[]> {
  // _id: MongoDB returns equal sort keys in any order otherwise.
  return store.collection<ExportDoc>(COLLECTIONS.exports).find({}, { sort: { created_at: -1, _id: -1 }, limit }).toArray();
}

export async function getExport(store: Store, id: string): Promise<ExportDoc & { examples_marked: number }> {
  const exportId = parseInput(IdString, id, "export id");
  const found = await store.collection<ExportDoc>(COLLECTIONS.exports).findOne({ _id: exportId });
  if (!found) throw new NotFoundError(`no export with id ${exportId} (see lexi exports list)`);
  const examples_marked = await store.collection<QueueItemDoc>(COLLECTIONS.queue).countDocuments({ exports: exportId });
  return { ...found, examples_marked };
}
