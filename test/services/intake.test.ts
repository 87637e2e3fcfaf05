import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError, NotFoundError } from "../../src/errors.js";
import { feedbackStats, submitFeedback } from "../../src/services/feedback.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { FIXED_NOW, demoInteractions, interactionWith } from "../helpers/fixtures.js";

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

const queueItems = () => store.collection(COLLECTIONS.queue).find({}).toArray();
const oneError = [{ type: "verb_tense", error: "go", correction: "went" }];

describe("logging an interaction", () => {
  it("derives the quality indicators and queues a good example with its tasks", async () => {
    const logged = await logInteraction(store, interactionWith({ grammar_errors: oneError, fluency_score: 0.8, vocabulary_level: "C2" }));
    expect(logged).toMatchObject({ queued: true, task_types: ["grammar", "fluency", "vocabulary"], auto_queue_score: 1 });
    const stored = await getInteraction(store, logged.interaction_id);
    expect(stored.quality_indicators).toEqual({ has_grammar_errors: true, error_count: 1, fluency_score: 0.8, vocabulary_level: "C2", has_pronunciation: false });
    expect(stored).toMatchObject({ training_eligible: true, training_validated: false, in_training_queue: true });
    const [item] = await queueItems();
    expect(item).toMatchObject({ task_types: ["grammar", "fluency", "vocabulary"], quality_score: 1, status: "pending", validated: false, difficulty_level: "C2", user_input: stored.user_input.text });
  });

  it("does not queue an example below the threshold", async () => {
    const logged = await logInteraction(store, interactionWith({ grammar_errors: [], fluency_score: 0.5, vocabulary_level: "B1" }));
    expect(logged.queued).toBe(false);
    expect(await queueItems()).toHaveLength(0);
    expect((await getInteraction(store, logged.interaction_id)).in_training_queue).toBe(false);
  });

  it("without transactions (a standalone server), a failure between its writes never leaves an interaction marked as queued without its example, and a retry completes it", async () => {
    let failInsert = true;
    // A store whose units of work are not atomic, and whose interaction insert fails once.
    const standalone = new Proxy(store, {
      get: (target, prop) => {
        if (prop === "transaction") return (work: (session: Store) => Promise<unknown>) => work(standalone);
        if (prop === "collection")
          return (name: string) => {
            const collection = target.collection(name);
            if (name !== COLLECTIONS.interactions) return collection;
            return new Proxy(collection, {
              get: (inner, method) => {
                const value: unknown = Reflect.get(inner, method);
                if (method.toString().startsWith("insert") && failInsert) return () => Promise.reject(new Error("connection lost"));
                return typeof value === "function" ? value.bind(inner) : value;
              },
            });
          };
        const value: unknown = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const input = { ...interactionWith({ grammar_errors: oneError, fluency_score: 0.9 }), _id: "cut-short" };
    await expect(logInteraction(standalone, input)).rejects.toThrow("connection lost");
    expect(await store.collection(COLLECTIONS.interactions).countDocuments({ in_training_queue: true })).toBe(0);
    const [orphan] = await queueItems();
    expect(orphan?.source_interaction_id).toBe("cut-short");
    failInsert = false;
    const retried = await logInteraction(standalone, input);
    expect(retried).toMatchObject({ queued: true, example_id: String(orphan!._id) });
    expect(await queueItems()).toHaveLength(1);
    expect((await getInteraction(store, "cut-short")).in_training_queue).toBe(true);
  });

  it("makes one queue item per interaction, even when the same id is logged twice at once", async () => {
    const input = { ...interactionWith({ grammar_errors: oneError, fluency_score: 0.9 }), _id: "imported-1" };
    const results = await Promise.allSettled([logInteraction(store, input), logInteraction(store, input)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(ConflictError);
    expect(failure.reason.message).toContain("imported-1 already exists");
    expect(await queueItems()).toHaveLength(1);
  });

  it("refuses bad input with a clear message and stores nothing", async () => {
    const good = demoInteractions(1)[0]!;
    await expect(logInteraction(store, { ...good, user_id: { $ne: null } } as never)).rejects.toThrow(/keys starting with \$/);
    await expect(logInteraction(store, { ...good, user_id: 42 } as never)).rejects.toThrow(/user_id/);
    await expect(logInteraction(store, { ...good, analysis: { ...good.analysis, fluency_score: 1.5 } })).rejects.toThrow(/analysis.fluency_score/);
    await expect(logInteraction(store, { ...good, analysis: { ...good.analysis, vocabulary_level: "D1" } } as never)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(logInteraction(store, { ...good, timestamp: "yesterday" })).rejects.toThrow(/timestamp/);
    expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
  });
});

describe("feedback", () => {
  async function queuedInteraction(): Promise<string> {
    return (await logInteraction(store, interactionWith({ grammar_errors: oneError, fluency_score: 0.9, vocabulary_level: "B1" }))).interaction_id;
  }

  it("scores the interaction and carries the score to its queue item", async () => {
    const id = await queuedInteraction();
    const result = await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 3, helpful: true, accurate: true });
    expect(result).toMatchObject({ quality_score: 0.9, flagged: false, replaced: false });
    expect((await getInteraction(store, id)).quality_score).toBe(0.9);
    expect((await queueItems())[0]).toMatchObject({ quality_score: 0.9, status: "pending" });
  });

  it.each([
    ["a rating of 2", { rating: 2, accurate: true }],
    ["accurate = false", { rating: 5, accurate: false }],
    ["a reported issue", { rating: 5, accurate: true, reported_issues: ["wrong_correction"] }],
  ])("flags on %s: not eligible, and the example leaves the exportable set", async (_label, verdict) => {
    const id = await queuedInteraction();
    const result = await submitFeedback(store, { interaction_id: id, user_id: "u1", ...verdict });
    expect(result.flagged).toBe(true);
    const interaction = await getInteraction(store, id);
    expect(interaction).toMatchObject({ flagged_for_review: true, training_eligible: false });
    expect((await queueItems())[0]).toMatchObject({ status: "flagged", validated: false });
  });

  it("records reported issues on the interaction", async () => {
    const id = await queuedInteraction();
    await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 4, reported_issues: ["too_long"] });
    expect((await getInteraction(store, id)).reported_issues).toEqual(["too_long"]);
  });

  it("replaces a learner's earlier verdict instead of adding a row, and recomputes everything", async () => {
    const id = await queuedInteraction();
    await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 1, accurate: false });
    const again = await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 5, helpful: true, accurate: true });
    expect(again).toMatchObject({ replaced: true, flagged: false, quality_score: 1 });
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(1);
    expect(await getInteraction(store, id)).toMatchObject({ flagged_for_review: false, training_eligible: true, quality_score: 1 });
    const [item] = await queueItems();
    expect(item).toMatchObject({ status: "pending" });
    expect((item!.history as Array<{ decision: string }>).map((h) => h.decision)).toEqual(["flagged", "unflagged"]);
  });

  it.each([
    ["rating 0", { rating: 0 }, /rating/],
    ["rating 6", { rating: 6 }, /rating/],
    ["rating 4.5", { rating: 4.5 }, /rating: must be a whole number/],
    ['rating "5"', { rating: "5" }, /rating/],
    ["an operator as user id", { rating: 5, user_id: { $ne: null } }, /keys starting with \$/],
  ])("refuses %s and changes nothing", async (_label, patch, message) => {
    const id = await queuedInteraction();
    await expect(submitFeedback(store, { interaction_id: id, user_id: "u1", ...patch } as never)).rejects.toThrow(message);
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(0);
    expect((await getInteraction(store, id)).quality_score).toBeUndefined();
  });

  it("answers an unknown interaction with not found and a malformed id with invalid input", async () => {
    await expect(submitFeedback(store, { interaction_id: "0123456789abcdef01234567", user_id: "u1", rating: 5 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(submitFeedback(store, { interaction_id: "67890abcdef", user_id: "u1", rating: 5 })).rejects.toThrow(/interaction_id: looks like an ObjectId/);
    expect(await store.collection(COLLECTIONS.feedback).countDocuments()).toBe(0);
  });

  it("summarizes feedback over a window, optionally for one learner", async () => {
    const ids = [await queuedInteraction(), await queuedInteraction(), await queuedInteraction()];
    await submitFeedback(store, { interaction_id: ids[0]!, user_id: "u1", rating: 5, helpful: true, accurate: true }, FIXED_NOW);
    await submitFeedback(store, { interaction_id: ids[1]!, user_id: "u1", rating: 2, helpful: false, accurate: true }, FIXED_NOW);
    await submitFeedback(store, { interaction_id: ids[2]!, user_id: "u2", rating: 4, helpful: true, accurate: false }, FIXED_NOW);
    const old = new Date(FIXED_NOW.getTime() - 40 * 86_400_000);
    await submitFeedback(store, { interaction_id: ids[2]!, user_id: "u3", rating: 1, timestamp: old }, FIXED_NOW);
    const all = await feedbackStats(store, { days: 30 }, FIXED_NOW);
    // Full precision, as counted: 11 / 3 stars, 2 of 3 helpful and accurate (only displays round).
    expect(all).toMatchObject({ total_feedbacks: 3, avg_rating: 11 / 3, helpful_percentage: (2 / 3) * 100, accurate_percentage: (2 / 3) * 100, flagged: 2 });
    expect(all.rating_distribution).toEqual({ "1": 0, "2": 1, "3": 0, "4": 1, "5": 1 });
    const one = await feedbackStats(store, { user_id: "u1", days: 30 }, FIXED_NOW);
    expect(one).toMatchObject({ total_feedbacks: 2, avg_rating: 3.5, helpful_percentage: 50, accurate_percentage: 100 });
    expect((await feedbackStats(store, { user_id: "nobody" }, FIXED_NOW)).total_feedbacks).toBe(0);
  });
});
