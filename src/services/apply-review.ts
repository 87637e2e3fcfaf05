/**
 * The one writer of review state: saves a transition of src/domain/review-state.ts to the example
 * (history entry, cached status) and to its interaction (flags), inside the caller's transaction,
 * together with whatever else the same change sets on those documents.
 */
import type { Transition } from "../domain/review-state.js";
import type { InteractionDoc } from "../schema/interaction.js";
import type { QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { StoreSession } from "../store/store.js";

export interface ReviewTarget {
  interactionId: InteractionDoc["_id"];
  /** The example to update; null when the interaction has none yet (or it was just inserted whole). */
  itemId: QueueItemDoc["_id"] | null;
}

export interface AlsoSet {
  item?: Record<string, unknown>;
  /** Array fields of the example to append to, beside the history entry. */
  itemPush?: Record<string, unknown>;
  interaction?: Record<string, unknown>;
}

export async function applyReview(session: StoreSession, target: ReviewTarget, transition: Transition, also: AlsoSet = {}): Promise<void> {
  if (target.itemId !== null) {
    const push = { ...also.itemPush, ...(transition.entry ? { history: transition.entry } : {}) };
    await session
      .collection<QueueItemDoc>(COLLECTIONS.queue)
      .updateOne({ _id: target.itemId }, { $set: { ...also.item, ...transition.item }, ...(Object.keys(push).length ? { $push: push } : {}) });
  }
  await session.collection<InteractionDoc>(COLLECTIONS.interactions).updateOne({ _id: target.interactionId }, { $set: { ...also.interaction, ...transition.interaction } });
}
