import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { addToQueue, getQueueItem, retractDecision, validateExample } from "../../src/services/queue.js";
import type { CorrectedTarget } from "../../src/schema/correction.js";
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

const wrong = { type: "article", error: "go", correction: "goes", explanation: "wrong type" };
const source = () => interactionWith({ grammar_errors: [wrong], fluency_score: 0.3, vocabulary_level: "A2" }, 3);
async function queuedExample() {
  const { interaction_id } = await logInteraction(store, source());
  const { example_id } = await addToQueue(store, { interaction_id, task_types: ["grammar"], quality_score: 0.9 });
  return { interaction_id, example_id };
}
const fixed: CorrectedTarget = { grammar_errors: [{ type: "verb_tense", error: "go", correction: "went", explanation: "yesterday needs the past" }], tutor_response: "Say: I went to school." };
const refined: CorrectedTarget = { ...fixed, tutor_response: "Nearly! Yesterday I went to school." };

describe("corrections", () => {
  it("saves the corrected target as a revision and counts as the reviewer's approval", async () => {
    const { example_id, interaction_id } = await queuedExample();
    const result = await validateExample(store, { example_id, approved: true, validated_by: "ana", notes: "wrong error type", corrected_output: fixed });
    expect(result).toMatchObject({ status: "approved", decision: "approved", approvals: 1 });
    const item = await getQueueItem(store, { example_id });
    expect(item.corrected_output).toEqual({ ...item.expected_output, ...fixed });
    expect(item.expected_output.grammar_errors).toEqual([wrong]);
    expect(item.revisions).toHaveLength(1);
    expect(item.revisions![0]).toMatchObject({ by: "ana", note: "wrong error type", target: fixed, previous: { grammar_errors: [wrong] } });
    expect(item.history.at(-1)).toMatchObject({ decision: "approved", by: "ana", revision: 0 });
    expect((await getInteraction(store, interaction_id)).training_validated).toBe(true);
  });

  it("keeps every revision; taking back the latest restores the one before, then the tutor's own", async () => {
    const { example_id } = await queuedExample();
    await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: fixed });
    await validateExample(store, { example_id, approved: true, validated_by: "bo", corrected_output: refined });
    let item = await getQueueItem(store, { example_id });
    expect(item.revisions!.map((r) => r.by)).toEqual(["ana", "bo"]);
    expect(item.revisions![1]!.previous.tutor_response).toBe(fixed.tutor_response);
    expect(item.corrected_output!.tutor_response).toBe(refined.tutor_response);

    // Ana's revision is not the latest: taking back her approval leaves Bo's fix alone.
    await retractDecision(store, { example_id, validated_by: "ana" });
    item = await getQueueItem(store, { example_id });
    expect(item.revisions).toHaveLength(2);
    expect(item.corrected_output!.tutor_response).toBe(refined.tutor_response);

    await retractDecision(store, { example_id, validated_by: "bo" });
    item = await getQueueItem(store, { example_id });
    expect(item.revisions!.map((r) => r.by)).toEqual(["ana"]);
    expect(item.corrected_output!.tutor_response).toBe(fixed.tutor_response);
    expect(item.status).toBe("pending");
  });

  it("reverts to the tutor's own output when the only correction is taken back", async () => {
    const { example_id } = await queuedExample();
    await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: fixed });
    await retractDecision(store, { example_id, validated_by: "ana" });
    const item = await getQueueItem(store, { example_id });
    expect(item.corrected_output).toBeUndefined();
    expect(item.revisions).toEqual([]);
  });

  it("follows the review rules: agreement counts it as one approval; a flagged example needs a note", async () => {
    const { example_id, interaction_id } = await queuedExample();
    const pending = await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: fixed, require_approvals: 2 });
    expect(pending).toMatchObject({ status: "pending", approvals: 1, required_approvals: 2 });

    await submitFeedback(store, { interaction_id, user_id: "learner-1", rating: 1 });
    const before = await getQueueItem(store, { example_id });
    const refused = await validateExample(store, { example_id, approved: true, validated_by: "bo", corrected_output: refined }).catch((e) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused.issues).toEqual([expect.objectContaining({ field: "notes" })]);
    expect(await getQueueItem(store, { example_id })).toEqual(before);
  });

  it("refuses an invalid target or a correction with a rejection, naming the field, and writes nothing", async () => {
    const { example_id } = await queuedExample();
    const before = await getQueueItem(store, { example_id });
    const empty = await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: { ...fixed, grammar_errors: [{ type: "verb_tense", error: "go", correction: "" }] } }).catch((e) => e);
    expect(empty).toBeInstanceOf(InvalidInputError);
    expect(empty.issues).toEqual([{ field: "corrected_output.grammar_errors.0.correction", reason: "must not be empty" }]);
    const rejected = await validateExample(store, { example_id, approved: false, validated_by: "ana", corrected_output: fixed }).catch((e) => e);
    expect(rejected.issues).toEqual([{ field: "corrected_output", reason: "a correction approves the corrected target; send approved: true with it" }]);
    const unknownKey = await validateExample(store, { example_id, approved: true, validated_by: "ana", corrected_output: { ...fixed, fluency_score: 1 } as CorrectedTarget }).catch((e) => e);
    expect(unknownKey).toBeInstanceOf(InvalidInputError);
    expect(await getQueueItem(store, { example_id })).toEqual(before);
  });
});
