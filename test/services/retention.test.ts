import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/errors.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { addToQueue, getQueueItem } from "../../src/services/queue.js";
import { COLLECTIONS, DEFAULT_RETENTION_DAYS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { interactionWith } from "../helpers/fixtures.js";

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

/** Too plain to be queued automatically: only a reviewer's hand makes it a training example. */
const plain = (seed: number) => interactionWith({ grammar_errors: [], fluency_score: 0.3, vocabulary_level: "A1" }, seed);
/** Moves every interaction's indexing date `days` into the past, as if it had been logged then. */
const age = (days: number) =>
  store.collection(COLLECTIONS.interactions).updateMany({}, { $set: { indexed_at: new Date(Date.now() - days * 86_400_000) } });

describe("retention", () => {
  it("keeps an interaction queued by hand past the retention period, and deletes one nobody queued", async () => {
    const kept = await logInteraction(store, plain(1));
    const dropped = await logInteraction(store, plain(2));
    expect([kept.queued, dropped.queued]).toEqual([false, false]);
    const { example_id } = await addToQueue(store, { interaction_id: kept.interaction_id, task_types: ["tutor_response"] });

    await age(DEFAULT_RETENTION_DAYS - 1);
    expect(await store.sweepExpired()).toBe(0);
    await age(DEFAULT_RETENTION_DAYS + 1);
    expect(await store.sweepExpired()).toBe(1);

    expect((await getInteraction(store, kept.interaction_id)).in_training_queue).toBe(true);
    await expect(getInteraction(store, dropped.interaction_id)).rejects.toBeInstanceOf(NotFoundError);
    expect(String((await getQueueItem(store, { example_id })).source_interaction_id)).toBe(kept.interaction_id);
  });

  it("keeps an interaction queued automatically", async () => {
    const good = await logInteraction(store, interactionWith({ grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }], fluency_score: 0.9, vocabulary_level: "B2" }));
    expect(good.queued).toBe(true);
    await age(DEFAULT_RETENTION_DAYS + 1);
    expect(await store.sweepExpired()).toBe(0);
    expect((await getInteraction(store, good.interaction_id)).in_training_queue).toBe(true);
  });
});
