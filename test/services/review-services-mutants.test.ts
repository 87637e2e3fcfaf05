/**
 * What the review and feedback services leave behind, checked where a planted bug survived the
 * rest of the suite: the interaction's feedback summary and mean score across learners, which
 * learner's answers it shows, `replaced`, the conflicts limit, and the queue upserts that keep one
 * example per interaction.
 */
import { ObjectId } from "bson";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedbackStats, submitFeedback } from "../../src/services/feedback.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { addToQueue, getQueueItem, listQueue, retractDecision, reviewConflicts, validateExample } from "../../src/services/queue.js";
import { upsertQueueItem, upsertQueueItems } from "../../src/services/queue-upsert.js";
import { ReviewSession } from "../../src/services/review.js";
import { learnerVerdicts } from "../../src/services/review-context.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { COLLECTIONS } from "../../src/store/collections.js";
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

const plain = (seed = 1) => interactionWith({ grammar_errors: [], fluency_score: 0.3, vocabulary_level: "A1" }, seed);
const at = (minute: number) => new Date(Date.UTC(2026, 5, 15, 12, minute));

describe("an interaction rated by several learners", () => {
  it("scores the mean of their verdicts, unites their issues and shows the latest verdict as given", async () => {
    const { interaction_id } = await logInteraction(store, plain());
    const first = await submitFeedback(store, { interaction_id, user_id: "ana", rating: 5, helpful: true, accurate: true, feedback_text: "great", reported_issues: ["too_long"] }, at(1));
    expect(first).toMatchObject({ replaced: false, quality_score: 1 });
    const second = await submitFeedback(store, { interaction_id, user_id: "bob", rating: 1, reported_issues: ["too_long", "wrong"] }, at(2));
    // (1 + 0.2) / 2: the mean over both learners, not the sum or the last one.
    expect(second).toMatchObject({ replaced: false, quality_score: 0.6 });
    expect(second.feedback_id).not.toBe(first.feedback_id);
    let interaction = await getInteraction(store, interaction_id);
    expect(interaction.quality_score).toBe(0.6);
    expect([...(interaction.reported_issues ?? [])].sort()).toEqual(["too_long", "wrong"]);
    // Bob's verdict is the latest: Ana's helpful, accurate and text are not shown as his.
    expect(interaction.user_feedback).toEqual({ rating: 1, reported_issues: ["too_long", "wrong"] });

    const replaced = await submitFeedback(store, { interaction_id, user_id: "ana", rating: 4, helpful: false, feedback_text: "ok" }, at(3));
    expect(replaced).toMatchObject({ replaced: true });
    interaction = await getInteraction(store, interaction_id);
    expect(interaction.user_feedback).toEqual({ rating: 4, helpful: false, feedback_text: "ok", reported_issues: [] });
    expect(await store.collection(COLLECTIONS.feedback).countDocuments({ interaction_id: interaction._id })).toBe(2);
  });
});

describe("review conflicts", () => {
  async function disputed(seed: number): Promise<string> {
    const { interaction_id } = await logInteraction(store, plain(seed));
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    await validateExample(store, { example_id, approved: true, validated_by: "ana" });
    await validateExample(store, { example_id, approved: false, validated_by: "bob" });
    return example_id;
  }

  it("lists only disagreements, and exactly as many as the limit asks", async () => {
    const ids = [await disputed(1), await disputed(2), await disputed(3)];
    // Rejected by one reviewer who had approved: no disagreement between reviewers.
    const { interaction_id } = await logInteraction(store, plain(4));
    const { example_id: changedMind } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    await validateExample(store, { example_id: changedMind, approved: true, validated_by: "cy" });
    await validateExample(store, { example_id: changedMind, approved: false, validated_by: "cy" });
    expect((await reviewConflicts(store, { limit: 10 })).map((c) => c.example_id).sort()).toEqual([...ids].sort());
    expect(await reviewConflicts(store, { limit: 2 })).toHaveLength(2);
    expect(await reviewConflicts(store, { limit: 1 })).toHaveLength(1);
  });
});

describe("queue upserts", () => {
  async function itemFor(seed: number): Promise<QueueItemDoc> {
    const { interaction_id } = await logInteraction(store, plain(seed));
    const interaction = await getInteraction(store, interaction_id);
    return { _id: new ObjectId(), source_interaction_id: interaction._id, user_input: "x" } as unknown as QueueItemDoc;
  }

  it("keep the example already stored and return its id, one item or many", async () => {
    const [a, b, c] = [await itemFor(1), await itemFor(2), await itemFor(3)];
    expect(await upsertQueueItem(store, a)).toEqual(a._id);
    const again = { ...a, _id: new ObjectId() };
    expect(await upsertQueueItem(store, again)).toEqual(a._id);
    const ids = await upsertQueueItems(store, [{ ...b }, { ...a, _id: new ObjectId() }, { ...c }]);
    expect(ids).toEqual([b._id, a._id, c._id]);
    expect(await upsertQueueItems(store, [{ ...c, _id: new ObjectId() }])).toEqual([c._id]);
    expect(await store.collection(COLLECTIONS.queue).countDocuments()).toBe(3);
    const d = await itemFor(4);
    expect(await upsertQueueItem(store, d)).toEqual(d._id);
    // Two items for one new interaction in one batch: the first is stored, both answer its id.
    const e = await itemFor(5);
    expect(await upsertQueueItems(store, [e, { ...e, _id: new ObjectId() }])).toEqual([e._id, e._id]);
    expect(await store.collection(COLLECTIONS.queue).countDocuments()).toBe(5);
  });
});

describe("a review session", () => {
  const LEASE_MS = 60_000;
  async function queueThree(): Promise<void> {
    for (const seed of [1, 2, 3]) {
      const { interaction_id } = await logInteraction(store, plain(seed));
      await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    }
  }

  it("counts skips once each, never below zero left, and does not offer a skipped item again", async () => {
    await queueThree();
    const session = await ReviewSession.start(store, { reviewer: "ana", lease_ms: LEASE_MS });
    expect(session.counts.remaining).toBe(3);
    const seen = new Set<string>();
    for (let item = await session.next(); item; item = await session.next()) {
      expect(seen.has(String(item._id))).toBe(false);
      seen.add(String(item._id));
      await session.skip();
    }
    expect(seen.size).toBe(3);
    expect(session.counts).toMatchObject({ skipped: 3, remaining: 0, done: 0 });
  });

  it("undoes nothing before a decision, then takes the last one back and leases its item again", async () => {
    await queueThree();
    const session = await ReviewSession.start(store, { reviewer: "ana", lease_ms: LEASE_MS });
    expect(await session.undo()).toBeNull();
    expect(session.canUndo).toBe(false);
    const item = (await session.next())!;
    await session.decide(true);
    expect(session.canUndo).toBe(true);
    expect(session.counts).toMatchObject({ done: 1, approved: 1, remaining: 2 });
    const now = at(30);
    const back = await session.undo(now);
    expect(back?._id).toEqual(item._id);
    expect(back?.status).toBe("pending");
    expect(back?.lease).toEqual({ by: "ana", until: new Date(now.getTime() + LEASE_MS) });
    expect(session.counts).toMatchObject({ done: 0, approved: 0, remaining: 3 });
    expect(session.item?._id).toEqual(item._id);
  });

  it("refuses a decision or a skip with no item in hand", async () => {
    const session = await ReviewSession.start(store, { reviewer: "ana" });
    await expect(session.decide(true)).rejects.toThrow("no item is being reviewed");
    await expect(session.skip()).rejects.toThrow("no item is being reviewed");
  });
});

describe("bad input to the review services", () => {
  // What a CLI user or an HTTP client reads first: which kind of input was refused.
  const refusals: Array<[string, () => Promise<unknown>]> = [
    ["invalid feedback", () => submitFeedback(store, { interaction_id: "x" } as never)],
    ["invalid feedback stats query", () => feedbackStats(store, { days: -1 })],
    ["invalid queue item", () => addToQueue(store, {} as never)],
    ["invalid queue filter", () => listQueue(store, { limit: -1 })],
    ["invalid example id", () => getQueueItem(store, {} as never)],
    ["invalid validation", () => validateExample(store, {} as never)],
    ["invalid retraction", () => retractDecision(store, {} as never)],
    ["invalid conflicts query", () => reviewConflicts(store, { limit: 0 })],
    ["invalid review options", () => ReviewSession.start(store, {} as never)],
    ["invalid feedback", () => submitFeedback(store, { interaction_id: { $ne: "x" }, user_id: "u", rating: 5 } as never)],
  ];

  it.each(refusals)("are refused as %s", async (message, call) => {
    await expect(call()).rejects.toThrow(new RegExp(`^${message}\\b`));
  });
});

describe("queue additions and listings", () => {
  it("queue two interactions apart, list by task type and status, and leave others' scores alone", async () => {
    const first = await logInteraction(store, plain(1));
    const second = await logInteraction(store, plain(2));
    const { example_id: grammar } = await addToQueue(store, { interaction_id: first.interaction_id, task_types: ["grammar"] });
    const { example_id: tutor } = await addToQueue(store, { interaction_id: second.interaction_id, task_types: ["tutor_response"] });
    expect(grammar).not.toBe(tutor);
    expect((await listQueue(store, { task_types: ["grammar"] })).map((item) => String(item._id))).toEqual([grammar]);
    await validateExample(store, { example_id: tutor, approved: true, validated_by: "ana" });
    expect((await listQueue(store, { status: "approved" })).map((item) => String(item._id))).toEqual([tutor]);
    expect((await listQueue(store, { status: "pending" })).map((item) => String(item._id))).toEqual([grammar]);

    const before = await getInteraction(store, first.interaction_id);
    const grammarBefore = await getQueueItem(store, { example_id: grammar });
    expect(grammarBefore.exports).toEqual([]);
    await submitFeedback(store, { interaction_id: second.interaction_id, user_id: "u1", rating: 1 });
    expect(await getInteraction(store, first.interaction_id)).toEqual(before);
    expect(await getQueueItem(store, { example_id: grammar })).toEqual(grammarBefore);
    expect(await getInteraction(store, second.interaction_id)).toMatchObject({ flagged_for_review: true, quality_score: 0.2 });
    expect(await getQueueItem(store, { example_id: tutor })).toMatchObject({ quality_score: 0.2 });
  });

  it("lease the item a session hands out to its reviewer", async () => {
    const { interaction_id } = await logInteraction(store, plain(1));
    await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    const session = await ReviewSession.start(store, { reviewer: "ana", lease_ms: 60_000 });
    const now = at(10);
    expect((await session.next(now))?.lease).toEqual({ by: "ana", until: new Date(now.getTime() + 60_000) });
  });
});

describe("what a reviewer sees beside the example", () => {
  it("shows the learners' verdicts worst first, each as given, up to the limit", async () => {
    const { interaction_id } = await logInteraction(store, plain(1));
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    await submitFeedback(store, { interaction_id, user_id: "u1", rating: 4, helpful: true, feedback_text: "fine" });
    await submitFeedback(store, { interaction_id, user_id: "u2", rating: 2, accurate: false, reported_issues: ["wrong"] });
    await submitFeedback(store, { interaction_id, user_id: "u3", rating: 5 });
    const item = await getQueueItem(store, { example_id });
    // Strict: an answer the learner left out is absent, not undefined.
    expect(await learnerVerdicts(store, item)).toStrictEqual([
      { rating: 2, accurate: false, reported_issues: ["wrong"] },
      { rating: 4, helpful: true, feedback_text: "fine", reported_issues: [] },
      { rating: 5, reported_issues: [] },
    ]);
    expect(await learnerVerdicts(store, item, 1)).toEqual([{ rating: 2, accurate: false, reported_issues: ["wrong"] }]);
  });

  it("decides the pending twins of an example with it: same learner text, same state, not held by another", async () => {
    const ids: string[] = [];
    for (const seed of [1, 1, 1, 2]) {
      // Seeds 1 share their learner text; seed 2 differs.
      const { interaction_id } = await logInteraction(store, { ...plain(seed), session_id: `s-${ids.length}` });
      ids.push((await addToQueue(store, { interaction_id, task_types: ["grammar"] })).example_id);
    }
    const held = await ReviewSession.start(store, { reviewer: "bob" });
    const session = await ReviewSession.start(store, { reviewer: "ana" });
    const first = (await session.next())!;
    expect(String(first._id)).toBe(ids[0]);
    // Bob holds the second twin: it is not decided for him.
    await held.next();
    expect(String(held.item!._id)).toBe(ids[1]);
    const { decided, results } = await session.decideWithTwins(false, "same mistake");
    expect(decided).toBe(2);
    expect(results.map((result) => result.decision)).toEqual(["rejected", "rejected"]);
    const statuses = await Promise.all(ids.map(async (example_id) => (await getQueueItem(store, { example_id })).status));
    expect(statuses).toEqual(["rejected", "pending", "rejected", "pending"]);
    expect(session.counts).toMatchObject({ done: 2, rejected: 2 });
  });
});

describe("queue errors and corrections", () => {
  it("name the example a second add would duplicate, and an unknown example id", async () => {
    const { interaction_id } = await logInteraction(store, plain(1));
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    const conflict = await addToQueue(store, { interaction_id, task_types: ["grammar"] }).catch((error: unknown) => error);
    expect(conflict).toMatchObject({ code: "conflict", details: { example_id } });
    const unknown = new ObjectId().toHexString();
    await expect(getQueueItem(store, { example_id: unknown })).rejects.toThrow(`no training example with id ${unknown}`);
  });

  it("answer a correcting approval with its revision, and keep the note without its blanks", async () => {
    const { interaction_id } = await logInteraction(store, plain(1));
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["tutor_response"] });
    const result = await validateExample(store, { example_id, approved: true, validated_by: "ana", notes: "  clearer  ", corrected_output: { grammar_errors: [], tutor_response: "Better." } });
    expect(result.revision).toBe(0);
    expect((await getQueueItem(store, { example_id })).revisions?.[0]?.note).toBe("clearer");
  });
});

describe("one example's review leaves the others alone", () => {
  it("a new example takes only its own interaction's feedback, and taking back a correction reverts only its example", async () => {
    const flaggedOne = await logInteraction(store, plain(1));
    await submitFeedback(store, { interaction_id: flaggedOne.interaction_id, user_id: "u1", rating: 1 });
    const other = await logInteraction(store, plain(2));
    const { example_id: otherExample } = await addToQueue(store, { interaction_id: other.interaction_id, task_types: ["tutor_response"] });
    expect(await getQueueItem(store, { example_id: otherExample })).toMatchObject({ status: "pending", flag_reasons: [] });

    const { example_id: flaggedExample } = await addToQueue(store, { interaction_id: flaggedOne.interaction_id, task_types: ["tutor_response"] });
    for (const example_id of [otherExample, flaggedExample]) {
      await validateExample(store, { example_id, approved: true, validated_by: "ana", notes: "fixed", corrected_output: { grammar_errors: [], tutor_response: `Fixed ${example_id}.` } });
    }
    await retractDecision(store, { example_id: flaggedExample, validated_by: "ana" });
    expect((await getQueueItem(store, { example_id: flaggedExample })).revisions).toEqual([]);
    const kept = await getQueueItem(store, { example_id: otherExample });
    expect(kept.revisions).toHaveLength(1);
    expect(kept.corrected_output?.tutor_response).toBe(`Fixed ${otherExample}.`);
  });
});
