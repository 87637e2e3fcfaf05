/**
 * Queue writes keyed on the source interaction: writing the same example twice (a retried unit
 * on MongoDB, an import run again after a failure on a standalone server) leaves one example.
 */
import { idIdentity } from "../schema/common.js";
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

/**
 * `upsertQueueItem` for many items: one query finds the interactions already queued, one
 * insertMany stores the others (a concurrent writer's duplicate is then looked up like a found
 * one). Returns the stored example's `_id` per item, in order.
 */
export async function upsertQueueItems(session: StoreSession, items: QueueItemDoc[]): Promise<unknown[]> {
  if (items.length === 1) return [await upsertQueueItem(session, items[0]!)];
  const queue = session.collection<QueueItemDoc>(COLLECTIONS.queue);
  const stored = await queue.find({ source_interaction_id: { $in: items.map((item) => item.source_interaction_id) } }, { projection: { _id: 1, source_interaction_id: 1 } }).toArray();
  const storedIds = new Map(stored.map((doc) => [idIdentity(doc.source_interaction_id), doc._id as unknown]));
  const fresh = items.filter((item) => !storedIds.has(idIdentity(item.source_interaction_id)));
  const { duplicateIndexes } = fresh.length ? await queue.insertMany(fresh, { ordered: false }) : { duplicateIndexes: [] };
  for (const index of duplicateIndexes) storedIds.set(idIdentity(fresh[index]!.source_interaction_id), await upsertQueueItem(session, fresh[index]!));
  return items.map((item) => storedIds.get(idIdentity(item.source_interaction_id)) ?? item._id);
}
