/**
 * Review state at the edges a mutation test found unguarded: a noted approval given again without
 * a note, blank notes in stored history, the approvals an example needs when feedback or a
 * retraction changes it, rejecting a flagged example, and reviewers who disagree.
 */
import { ObjectId } from "bson";
import { describe, expect, it } from "vitest";
import { deriveState, hasDisagreement, initial, onDecision, onFeedback, type Decision, type Transition } from "../../src/domain/review-state.js";
import type { Verdict } from "../../src/domain/quality.js";
import { ConflictError, InvalidInputError } from "../../src/errors.js";
import type { QueueDecision } from "../../src/schema/queue.js";

const at = new Date("2026-06-01T10:00:00Z");

interface Example {
  _id: ObjectId;
  history: QueueDecision[];
  flag_reasons: string[];
  required_approvals?: number;
}

const apply = (item: Example, t: Transition): Example => ({ ...item, history: t.entry ? [...item.history, t.entry] : item.history, flag_reasons: t.item.flag_reasons, required_approvals: t.item.required_approvals });
const start = (verdicts: Verdict[] = []): Example => apply({ _id: new ObjectId(), history: [], flag_reasons: [] }, initial(verdicts, at));
const approve = (by: string, notes?: string, requiredApprovals = 1): Decision => ({ decision: "approved", by, at, notes, requiredApprovals });
const reject = (by: string, requiredApprovals = 1): Decision => ({ decision: "rejected", by, at, requiredApprovals });
const retract = (by: string): Decision => ({ decision: "retracted", by, at });
const entry = (decision: QueueDecision["decision"], by: string, notes?: string): QueueDecision => ({ decision, by, at, ...(notes === undefined ? {} : { notes }) });

describe("a flag cleared by a noted approval", () => {
  it("stays cleared when the same reviewer approves again without a note", () => {
    let item = apply(start([{ rating: 1 }]), onDecision(start([{ rating: 1 }]), approve("ana", "checked: the answer is right")));
    const again = onDecision(item, approve("ana"));
    item = apply(item, again);
    expect(again.item.status).toBe("approved");
    expect(again.interaction).toEqual({ flagged_for_review: false, training_eligible: true, training_validated: true });
  });

  it("is not cleared by stored approvals whose note is blank", () => {
    const history = [entry("flagged", "feedback", "rating 1"), entry("approved", "ana", "   ")];
    expect(deriveState(history)).toMatchObject({ status: "flagged", flagged: true, approvers: ["ana"] });
  });
});

describe("approvals needed", () => {
  it("keeps the example's own number when new feedback arrives", () => {
    const item = start();
    const once = apply(item, onDecision(item, approve("ana", undefined, 2)));
    const later = onFeedback(once, [{ rating: 5, accurate: true }], at);
    expect(later.item).toMatchObject({ status: "pending", required_approvals: 2 });
  });

  it("keeps the example's own number when an approval is taken back, and one when it has none stored", () => {
    const two = start();
    let item = apply(two, onDecision(two, approve("ana", undefined, 2)));
    item = apply(item, onDecision(item, approve("ben", undefined, 2)));
    expect(deriveState(item.history, 2).status).toBe("approved");
    expect(onDecision(item, retract("ben")).item).toMatchObject({ status: "pending", required_approvals: 2 });

    const legacy: Example = { _id: new ObjectId(), history: [entry("approved", "ana"), entry("approved", "ben")], flag_reasons: [] };
    expect(onDecision(legacy, retract("ben")).item).toMatchObject({ status: "approved", required_approvals: 1 });
    expect(onFeedback(legacy, [{ rating: 4 }], at).item).toMatchObject({ status: "approved", required_approvals: 1 });
  });
});

describe("deciding on a flagged example", () => {
  it("lets a reviewer reject it without a note (it stays flagged, the rejection recorded)", () => {
    const item = start([{ rating: 2 }]);
    const t = onDecision(item, reject("ana"));
    expect(t.entry).toEqual({ decision: "rejected", by: "ana", at });
    expect(t.state).toMatchObject({ status: "flagged", rejecters: ["ana"] });
  });

  it("names every flag reason when an approval lacks its note", () => {
    const item = start([{ rating: 1, accurate: false }]);
    expect(() => onDecision(item, approve("ana"))).toThrow(InvalidInputError);
    expect(() => onDecision(item, approve("ana"))).toThrow(`is flagged (rating 1; not accurate) and approving clears the flag`);
  });

  it("withdraws the flag with a history note when the learners' feedback no longer flags", () => {
    const item = start([{ rating: 1 }]);
    expect(onFeedback(item, [{ rating: 5, accurate: true }], at).entry).toEqual({ decision: "unflagged", by: "feedback", at, notes: "newer feedback no longer flags it" });
  });
});

describe("taking back a decision that does not exist", () => {
  it("is a conflict naming the example", () => {
    const item = start();
    const attempt = () => onDecision(item, retract("ana"));
    expect(attempt).toThrow(ConflictError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConflictError).details).toEqual({ example_id: item._id.toHexString() });
    }
  });
});

describe("disagreement", () => {
  it("is a standing approval against a standing rejection, nothing less", () => {
    expect(hasDisagreement([entry("approved", "ana"), entry("rejected", "ben")])).toBe(true);
    expect(hasDisagreement([entry("approved", "ana"), entry("approved", "ben")])).toBe(false);
    expect(hasDisagreement([entry("rejected", "ana"), entry("rejected", "ben")])).toBe(false);
    expect(hasDisagreement([entry("approved", "ana"), entry("rejected", "ben"), entry("retracted", "ben")])).toBe(false);
    expect(hasDisagreement([])).toBe(false);
  });
});
