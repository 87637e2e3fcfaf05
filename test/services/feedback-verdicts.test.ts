import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedbackStats, submitFeedback } from "../../src/services/feedback.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { listQueue } from "../../src/services/queue.js";
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

/** An interaction good enough to be queued automatically, so its example follows the feedback. */
const queuedInteraction = async () =>
  (await logInteraction(store, interactionWith({ grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], fluency_score: 0.9, vocabulary_level: "B1" }))).interaction_id;

describe("a replaced verdict", () => {
  it("drops answers left out the second time: an old accurate = false no longer flags", async () => {
    const id = await queuedInteraction();
    expect((await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 1, accurate: false })).flag_reasons).toEqual(["rating 1", "not accurate"]);
    const again = await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 5 });
    expect(again).toMatchObject({ replaced: true, flagged: false, flag_reasons: [], quality_score: 1 });
    const interaction = await getInteraction(store, id);
    expect(interaction).toMatchObject({ flagged_for_review: false, training_eligible: true });
    expect(interaction.user_feedback).toEqual({ rating: 5, reported_issues: [] });
    expect(await feedbackStats(store, { days: 1 })).toMatchObject({ total_feedbacks: 1, flagged: 0, accurate_percentage: 0, helpful_percentage: 0 });
    const [example] = await listQueue(store, { min_quality_score: 0 });
    expect(example).toMatchObject({ status: "pending", flag_reasons: [] });
  });

  it("drops an old comment and helpful answer too, and keeps what is sent again", async () => {
    const id = await queuedInteraction();
    await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 4, helpful: true, feedback_text: "nice" });
    await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 3, accurate: true });
    expect((await getInteraction(store, id)).user_feedback).toEqual({ rating: 3, accurate: true, reported_issues: [] });
    expect(await feedbackStats(store, { days: 1 })).toMatchObject({ total_feedbacks: 1, helpful_percentage: 0, accurate_percentage: 100 });
  });

  it("from one learner leaves another learner's flag standing", async () => {
    const id = await queuedInteraction();
    await submitFeedback(store, { interaction_id: id, user_id: "u1", rating: 5, accurate: false });
    await submitFeedback(store, { interaction_id: id, user_id: "u2", rating: 2 });
    const fixed = await submitFeedback(store, { interaction_id: id, user_id: "u2", rating: 5 });
    expect(fixed).toMatchObject({ replaced: true, flagged: true, flag_reasons: ["not accurate"] });
    expect(await getInteraction(store, id)).toMatchObject({ flagged_for_review: true, training_eligible: false });
  });
});
