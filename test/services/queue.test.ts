import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError, NotFoundError } from "../../src/errors.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { addToQueue, getQueueItem, listQueue, retractDecision, reviewConflicts, validateExample } from "../../src/services/queue.js";
import { ReviewSession } from "../../src/services/review.js";
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
const queued = async (quality = 0.9, seed = 1) => {
  const { interaction_id } = await logInteraction(store, plain(seed));
  return (await addToQueue(store, { interaction_id, task_types: ["grammar"], quality_score: quality })).example_id;
};
const queueCount = () => store.collection(COLLECTIONS.queue).countDocuments();

describe("queue add", () => {
  it("copies what training needs so the example outlives its interaction", async () => {
    const { interaction_id } = await logInteraction(store, plain());
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar", "tutor_response"], notes: "clear case" });
    await store.collection(COLLECTIONS.interactions).deleteMany({});
    const item = await getQueueItem(store, { example_id });
    expect(item).toMatchObject({ task_types: ["grammar", "tutor_response"], quality_score: 1, status: "pending", origin: "manual", notes: "clear case", validated: false, used_in_training: false });
    expect(item.user_input).toBe(plain().user_input.text);
    expect(item.expected_output.tutor_response).toBe(plain().analysis.tutor_response);
  });

  it("refuses a second add of the same interaction, naming the existing example", async () => {
    const { interaction_id } = await logInteraction(store, plain());
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    const error = await addToQueue(store, { interaction_id, task_types: ["fluency"] }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`interaction ${interaction_id} is already queued as example ${example_id}`);
    expect(await queueCount()).toBe(1);
  });

  it.each([
    [{ task_types: ["two words"] }, /task_types.0: must be a word/],
    [{ task_types: [] }, /name at least one task/],
    [{ task_types: ["grammar"], quality_score: 1.2 }, /quality_score/],
    [{ task_types: ["grammar"], quality_score: -0.1 }, /quality_score/],
  ])("refuses %j and changes nothing", async (patch, message) => {
    const { interaction_id } = await logInteraction(store, plain());
    await expect(addToQueue(store, { interaction_id, ...patch } as never)).rejects.toThrow(message);
    expect(await queueCount()).toBe(0);
  });

  it("answers an unknown interaction with not found", async () => {
    await expect(addToQueue(store, { interaction_id: "missing-1", task_types: ["grammar"] })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("queue list", () => {
  it("lists best quality first, then oldest, with filters", async () => {
    const low = await queued(0.75, 1);
    const high = await queued(0.95, 2);
    const mid = await queued(0.8, 3);
    await queued(0.5, 4);
    expect((await listQueue(store)).map((i) => String(i._id))).toEqual([high, mid, low]);
    expect((await listQueue(store, { min_quality_score: 0.9 })).map((i) => String(i._id))).toEqual([high]);
    expect(await listQueue(store, { task_types: ["fluency"] })).toEqual([]);
    await validateExample(store, { example_id: mid, approved: true, validated_by: "ana" });
    expect((await listQueue(store, { validated_only: true })).map((i) => String(i._id))).toEqual([mid]);
    expect((await listQueue(store, { status: "pending", limit: 1 })).map((i) => String(i._id))).toEqual([high]);
  });
});

describe("validation", () => {
  it("keeps rejections distinguishable from not yet reviewed, and records every decision", async () => {
    const id = await queued();
    const rejected = await validateExample(store, { example_id: id, approved: false, validated_by: "ana", notes: "wrong correction" });
    expect(rejected).toMatchObject({ status: "rejected", validated: false });
    const again = await validateExample(store, { example_id: id, approved: true, validated_by: "ana", notes: "on second thought" });
    expect(again).toMatchObject({ status: "approved", validated: true });
    const item = await getQueueItem(store, { example_id: id });
    expect(item).toMatchObject({ validated: true, validated_by: "ana", validation_notes: "on second thought" });
    expect(item.history.map((h) => [h.decision, h.by, h.notes])).toEqual([
      ["rejected", "ana", "wrong correction"],
      ["approved", "ana", "on second thought"],
    ]);
    expect((await getInteraction(store, String(item.source_interaction_id))).training_validated).toBe(true);
  });

  it("clears a feedback flag only on approval with a note", async () => {
    const { interaction_id } = await logInteraction(store, interactionWith({ grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }], fluency_score: 0.9 }));
    await submitFeedback(store, { interaction_id, user_id: "u1", rating: 1 });
    const [item] = await listQueue(store, { status: "flagged", min_quality_score: 0 });
    const id = String(item!._id);
    await expect(validateExample(store, { example_id: id, approved: true, validated_by: "ana" })).rejects.toThrow(/add a note saying why the answer is fine/);
    expect((await getQueueItem(store, { example_id: id })).status).toBe("flagged");
    const cleared = await validateExample(store, { example_id: id, approved: true, validated_by: "ana", notes: "correction is right; learner misread" });
    expect(cleared.status).toBe("approved");
    expect(await getInteraction(store, interaction_id)).toMatchObject({ flagged_for_review: false, training_eligible: true, training_validated: true });
  });

  it("keeps the flag of an interaction flagged before it was queued by hand until a noted approval", async () => {
    const { interaction_id, queued: auto } = await logInteraction(store, plain());
    expect(auto).toBe(false);
    await submitFeedback(store, { interaction_id, user_id: "u1", rating: 1 });
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    await expect(validateExample(store, { example_id, approved: true, validated_by: "ana" })).rejects.toThrow(/add a note saying why the answer is fine/);
    expect(await getQueueItem(store, { example_id })).toMatchObject({ status: "flagged", flag_reasons: ["rating 1"] });
    expect(await getInteraction(store, interaction_id)).toMatchObject({ flagged_for_review: true, training_eligible: false, training_validated: false });
    await validateExample(store, { example_id, approved: true, validated_by: "ana", notes: "the learner misread the correction" });
    expect(await getInteraction(store, interaction_id)).toMatchObject({ flagged_for_review: false, training_eligible: true, training_validated: true });
  });

  it("re-evaluates the flag when a learner replaces their verdict, forgetting answers left out", async () => {
    const { interaction_id } = await logInteraction(store, plain());
    await submitFeedback(store, { interaction_id, user_id: "u1", rating: 4, accurate: false });
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    expect(await getQueueItem(store, { example_id })).toMatchObject({ status: "flagged", flag_reasons: ["not accurate"] });
    const again = await submitFeedback(store, { interaction_id, user_id: "u1", rating: 4 });
    expect(again).toMatchObject({ flagged: false, flag_reasons: [] });
    expect(await getQueueItem(store, { example_id })).toMatchObject({ status: "pending", flag_reasons: [] });
    const interaction = await getInteraction(store, interaction_id);
    expect(interaction).toMatchObject({ flagged_for_review: false, training_eligible: true });
    expect(interaction.user_feedback).toEqual({ rating: 4, reported_issues: [] });
  });

  it("with required approvals counts different reviewers, and any rejection wins", async () => {
    const id = await queued();
    const rule = { require_approvals: 2 };
    expect(await validateExample(store, { example_id: id, approved: true, validated_by: "ana", ...rule })).toMatchObject({ status: "pending", approvals: 1, validated: false });
    expect(await validateExample(store, { example_id: id, approved: true, validated_by: "ana", ...rule })).toMatchObject({ status: "pending", approvals: 1 });
    expect(await validateExample(store, { example_id: id, approved: true, validated_by: "bob", ...rule })).toMatchObject({ status: "approved", approvals: 2, validated: true });
    expect(await validateExample(store, { example_id: id, approved: false, validated_by: "cy", ...rule })).toMatchObject({ status: "rejected", validated: false });
    expect(await reviewConflicts(store)).toEqual([{ example_id: id, user_input: plain().user_input.text, approvers: ["ana", "bob"], rejecters: ["cy"] }]);
  });

  it.each([
    ["an empty reviewer name", { approved: true, validated_by: "  " }, /reviewer name must not be empty/],
    ["a missing decision", { validated_by: "ana" }, /approved/],
  ])("refuses %s and changes nothing", async (_label, input, message) => {
    const id = await queued();
    await expect(validateExample(store, { example_id: id, ...(input as object) } as never)).rejects.toThrow(message);
    expect((await getQueueItem(store, { example_id: id })).history).toEqual([]);
  });

  it("answers unknown and malformed example ids", async () => {
    await expect(validateExample(store, { example_id: "0123456789abcdef01234567", approved: true, validated_by: "ana" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(validateExample(store, { example_id: "67890abcdef", approved: true, validated_by: "ana" })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("input checks", () => {
  it("names the field that is wrong, for every queue service", async () => {
    const id = await queued();
    const fields = async (call: Promise<unknown>) => ((await call.catch((e) => e)) as InvalidInputError).issues.map((issue) => issue.field);
    expect(await fields(reviewConflicts(store, { limit: 0 }))).toEqual(["limit"]);
    expect(await fields(retractDecision(store, { example_id: id, validated_by: " " }))).toEqual(["validated_by"]);
    expect(await fields(getQueueItem(store, { example_id: "67890abcdef" }))).toEqual(["example_id"]);
    expect(await fields(ReviewSession.start(store, { reviewer: "ana", lease_ms: 5 }))).toEqual(["lease_ms"]);
  });

  it("refuses to take back a decision that was never made, changing nothing", async () => {
    const id = await queued();
    const error = await retractDecision(store, { example_id: id, validated_by: "ana" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`ana has no decision on example ${id} to take back`);
    expect((await getQueueItem(store, { example_id: id })).history).toEqual([]);
  });
});

describe("review sessions", () => {
  it("never give two reviewers the same item, and hand an item back when its lease expires", async () => {
    for (let seed = 1; seed <= 3; seed++) await queued(0.9, seed);
    const ana = await ReviewSession.start(store, { reviewer: "ana", lease_ms: 60_000 });
    const bob = await ReviewSession.start(store, { reviewer: "bob", lease_ms: 60_000 });
    const t0 = new Date("2026-06-01T10:00:00Z");
    const a = await ana.next(t0);
    const b = await bob.next(t0);
    expect(a && b && String(a._id) !== String(b._id)).toBe(true);
    const later = new Date(t0.getTime() + 61_000);
    const cy = await ReviewSession.start(store, { reviewer: "cy", lease_ms: 60_000 });
    const first = await cy.next(later);
    expect([String(a!._id), String(b!._id)]).toContain(String(first!._id));
  });

  it("puts the flag back when the approval that cleared it is undone", async () => {
    const { interaction_id } = await logInteraction(store, plain());
    await submitFeedback(store, { interaction_id, user_id: "u1", rating: 2 });
    const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"] });
    const session = await ReviewSession.start(store, { reviewer: "ana", filter: { status: "flagged", min_quality_score: 0 } });
    await session.next();
    await session.decide(true, "the tutor was right");
    expect(await getInteraction(store, interaction_id)).toMatchObject({ flagged_for_review: false, training_validated: true });
    await session.undo();
    expect((await getQueueItem(store, { example_id })).status).toBe("flagged");
    expect(await getInteraction(store, interaction_id)).toMatchObject({ flagged_for_review: true, training_eligible: false, training_validated: false });
    await expect(session.decide(true)).rejects.toThrow(/add a note/);
  });

  it("saves each decision at once, undoes the last one, and counts", async () => {
    const ids = [await queued(0.95, 1), await queued(0.9, 2), await queued(0.85, 3)];
    const session = await ReviewSession.start(store, { reviewer: "ana" });
    expect(session.counts.remaining).toBe(3);
    expect(String((await session.next())!._id)).toBe(ids[0]);
    await session.decide(true);
    expect((await getQueueItem(store, { example_id: ids[0]! })).status).toBe("approved");
    await session.next();
    await session.decide(false, "off topic");
    expect(session.counts).toMatchObject({ done: 2, approved: 1, rejected: 1, remaining: 1 });
    const back = await session.undo();
    expect(String(back!._id)).toBe(ids[1]);
    expect((await getQueueItem(store, { example_id: ids[1]! })).status).toBe("pending");
    expect(session.counts).toMatchObject({ done: 1, rejected: 0, remaining: 2 });
    await session.skip();
    expect(String((await session.next())!._id)).toBe(ids[2]);
    await session.release();
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ "lease.by": "ana" })).toBe(0);
  });
});
