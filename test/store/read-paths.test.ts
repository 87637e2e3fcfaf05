/**
 * The services' hot queries stay on the embedded engine's fast paths, as its read-paths channel
 * reports them: sorted lists come from index order (no sort in memory), analytics and pattern
 * detection group in SQL, feedback statistics group partly decoded rows, and a sort no index
 * serves is reported as done in memory.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analytics } from "../../src/services/analytics.js";
import { feedbackStats } from "../../src/services/feedback.js";
import { metricsHistory } from "../../src/services/metrics.js";
import { detectPatterns } from "../../src/services/patterns.js";
import { progressHistory } from "../../src/services/progress.js";
import { listQueue, reviewConflicts } from "../../src/services/queue.js";
import { seedDemoData } from "../../src/services/seed.js";
import { READ_PATHS, type ReadEvent } from "../../src/store/embedded/read-paths.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

async function readsOf(collection: string, work: () => Promise<unknown>): Promise<ReadEvent[]> {
  const events: ReadEvent[] = [];
  const listen = (message: unknown) => {
    if ((message as ReadEvent).collection === collection) events.push(message as ReadEvent);
  };
  subscribe(READ_PATHS.name, listen);
  try {
    await work();
  } finally {
    unsubscribe(READ_PATHS.name, listen);
  }
  return events;
}

describe("read paths of the services' hot queries", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(":memory:");
    await seedDemoData(store, { interactions: 600, users: 20 });
  });
  afterAll(async () => {
    await store.close();
  });

  it("lists the queue, its conflicts, a learner's progress and a model's metrics in index order", async () => {
    const scans = async (collection: string, work: () => Promise<unknown>) => (await readsOf(collection, work)).map((event) => event.scan);
    expect(await scans("training_queue", () => listQueue(store, {}))).toEqual(["index order"]);
    expect(await scans("training_queue", () => reviewConflicts(store, {}))).toEqual(["index order"]);
    expect(await readsOf("user_progress", () => progressHistory(store, { user_id: "user_001" }))).toEqual([{ collection: "user_progress", operation: "find", scan: "index order", exact: true }]);
    expect(await readsOf("model_metrics", () => metricsHistory(store, { model_name: "tutor-llm" }))).toEqual([{ collection: "model_metrics", operation: "find", scan: "index order", exact: true }]);
  });

  it("groups insights without mingo's pipeline", async () => {
    const groups = async (work: () => Promise<unknown>) => (await readsOf("ai_interactions", work)).map((event) => event.group);
    expect(await groups(() => detectPatterns(store, {}))).toEqual(["sql"]);
    expect(await groups(() => analytics(store, { metric: "fluency", group_by: "day" }))).toEqual(["sql"]);
    expect(await groups(() => analytics(store, { metric: "fluency", group_by: "level" }))).toEqual(["sql"]);
    const feedbackGroups = (await readsOf("user_feedback", () => feedbackStats(store, {}))).map((event) => event.group);
    expect(feedbackGroups).toContain("decoded rows");
    expect(feedbackGroups).not.toContain("pipeline");
  });

  it("announces a sort on an unindexed path as done in memory", async () => {
    const events = await readsOf("ai_interactions", () => store.collection("ai_interactions").find({}, { sort: { "analysis.fluency_score": 1 }, limit: 1 }).toArray());
    expect(events).toEqual([{ collection: "ai_interactions", operation: "find", scan: "sorted in memory", exact: true }]);
  });
});
