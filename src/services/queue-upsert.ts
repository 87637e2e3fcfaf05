/**
 * Queue writes keyed on the source interaction: writing the same example twice (a retried unit
 * on MongoDB, an import run again after a failure on a standalone server) leaves one example.
 */
import type { QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { StoreSession } from "../store/store.js";

/** Stores `item` unless its interaction is queued already; returns the `_id` of the example that is stored. */
export async function upsertQueueItem(session: StoreSession, item: QueueItemDoc): Promise<unknown> {
  const queue = session.collection<QueueItemDoc>(COLLECTIONS.queue);
  const result = await queue.updateOne({ source_interaction_id: item.source_interaction_id }, { $setOnInsert: item }, { upsert: true });
  if (result.upsertedId !== null) return item._id;
  const stored = await queue.findOne({ source_interaction_id: item.source_interaction_id }, { projection: { _id: 1 } });
  return stored?._id ?? item._id;
}
