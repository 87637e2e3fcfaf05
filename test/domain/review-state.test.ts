import { ObjectId } from "bson";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveState, initial, onDecision, onFeedback, type Decision, type Transition } from "../../src/domain/review-state.js";
import type { Verdict } from "../../src/domain/quality.js";
import { ConflictError, InvalidInputError } from "../../src/errors.js";
import type { QueueDecision } from "../../src/schema/queue.js";

const at = new Date("2026-06-01T10:00:00Z");

/** An example as the store would hold it after applying transitions. */
interface Example {
  _id: ObjectId;
  history: QueueDecision[];
  flag_reasons: string[];
  required_approvals?: number;
}

function apply(item: Example, t: Transition): Example {
  return { ...item, history: t.entry ? [...item.history, t.entry] : item.history, flag_reasons: t.item.flag_reasons, required_approvals: t.item.required_approvals };
}

function start(verdicts: Verdict[] = []): Example {
  return apply({ _id: new ObjectId(), history: [], flag_reasons: [] }, initial(verdicts, at));
}

const approve = (by: string, notes?: string, requiredApprovals = 1): Decision => ({ decision: "approved", by, at, notes, requiredApprovals });
const reject = (by: string, requiredApprovals = 1): Decision => ({ decision: "rejected", by, at, requiredApprovals });
const retract = (by: string): Decision => ({ decision: "retracted", by, at });

describe("a new example", () => {
  it("starts pending with its interaction eligible when no feedback flags it", () => {
    const t = initial([{ rating: 5, accurate: true }], at);
    expect(t.entry).toBeNull();
    expect(t.item).toMatchObject({ status: "pending", validated: false, flag_reasons: [] });
    expect(t.interaction).toEqual({ flagged_for_review: false, training_eligible: true, training_validated: false });
  });

  it("starts flagged, with the reasons recorded in its history, when its interaction's feedback flags it", () => {
    const t = initial([{ rating: 1 }, { rating: 4, accurate: false, reported_issues: ["too_long"] }], at);
    expect(t.entry).toEqual({ decision: "flagged", by: "feedback", at, notes: "rating 1; not accurate; reported: too_long" });
    expect(t.item).toMatchObject({ status: "flagged", flag_reasons: ["rating 1", "not accurate", "reported: too_long"] });
    expect(t.interaction).toEqual({ flagged_for_review: true, training_eligible: false, training_validated: false });
  });
});

describe("clearing a flag", () => {
  const flagged = () => start([{ rating: 2 }]);

  it.each([["no note", undefined], ["a blank note", "   "]])("refuses an approval with %s, naming the field", (_label, notes) => {
    const error = (() => {
      try {
        onDecision(flagged(), approve("ana", notes));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(/is flagged \(rating 2\) and approving clears the flag: notes: add a note/);
    expect((error as InvalidInputError).issues).toEqual([{ field: "notes", reason: "add a note saying why the answer is fine" }]);
  });

  it("takes an approval with a note: approved, back in training and validated", () => {
    const t = onDecision(flagged(), approve("ana", "the learner misread it"));
    expect(t.item).toMatchObject({ status: "approved", validated: true, validated_by: "ana", validation_notes: "the learner misread it" });
    expect(t.interaction).toEqual({ flagged_for_review: false, training_eligible: true, training_validated: true });
  });

  it("restores the flag when the approval that cleared it is taken back, unless another noted approval stands", () => {
    let item = apply(flagged(), onDecision(flagged(), approve("ana", "fine")));
    item = apply(item, onDecision(item, approve("bob")));
    expect(onDecision(item, retract("ana")).item.status).toBe("flagged");
    const noted = apply(item, onDecision(item, approve("bob", "also fine")));
    expect(onDecision(noted, retract("ana")).item.status).toBe("approved");
  });

  it("lifts a flag when the learners withdraw every flagging verdict", () => {
    const t = onFeedback(flagged(), [{ rating: 5 }], at);
    expect(t.entry).toMatchObject({ decision: "unflagged", by: "feedback" });
    expect(t.interaction.flagged_for_review).toBe(false);
  });

  it("does not flag again for a reason a reviewer cleared, but does for a new one", () => {
    const cleared = apply(flagged(), onDecision(flagged(), approve("ana", "fine")));
    expect(onFeedback(cleared, [{ rating: 2 }, { rating: 2 }], at)).toMatchObject({ entry: null, item: { status: "approved" } });
    const fresh = onFeedback(cleared, [{ rating: 2 }, { rating: 4, reported_issues: ["too_long"] }], at);
    expect(fresh.entry).toMatchObject({ decision: "flagged", notes: "reported: too_long" });
    expect(fresh.interaction).toEqual({ flagged_for_review: true, training_eligible: false, training_validated: false });
  });
});

describe("reviewers' decisions", () => {
  it("voids approvals given before a flag, but keeps rejections standing", () => {
    let item = start();
    item = apply(item, onDecision(item, approve("ana")));
    item = apply(item, onDecision(item, reject("bob")));
    item = apply(item, onFeedback(item, [{ rating: 1 }], at));
    expect(deriveState(item.history)).toMatchObject({ status: "flagged", approvers: [], rejecters: ["bob"] });
    expect(onFeedback(item, [{ rating: 5 }], at).item.status).toBe("rejected");
  });

  it("needs the required number of different approvers, and any standing rejection wins", () => {
    let item = start();
    item = apply(item, onDecision(item, approve("ana", undefined, 2)));
    expect(onDecision(item, approve("ana", undefined, 2)).item.status).toBe("pending");
    item = apply(item, onDecision(item, approve("bob", undefined, 2)));
    expect(deriveState(item.history, 2).status).toBe("approved");
    const rejected = onDecision(item, reject("cy", 2));
    expect(rejected.item.status).toBe("rejected");
    expect(rejected.interaction.training_validated).toBe(false);
  });

  it("lets a reviewer change their mind, keeping every decision in the history", () => {
    let item = start();
    item = apply(item, onDecision(item, reject("ana")));
    item = apply(item, onDecision(item, approve("ana", "on second thought")));
    expect(item.history.map((h) => h.decision)).toEqual(["rejected", "approved"]);
    expect(deriveState(item.history).status).toBe("approved");
  });

  it("refuses to take back a decision that does not stand", () => {
    expect(() => onDecision(start(), retract("ana"))).toThrow(ConflictError);
  });
});

describe("any sequence of transitions", () => {
  const verdict = fc.record({ rating: fc.integer({ min: 1, max: 5 }), accurate: fc.option(fc.boolean(), { nil: undefined }), reported_issues: fc.subarray(["too_long", "off_topic"]) });
  const action = fc.oneof(
    fc.record({ kind: fc.constant("feedback" as const), verdicts: fc.array(verdict, { maxLength: 3 }) }),
    fc.record({ kind: fc.constant("decide" as const), decision: fc.constantFrom("approved" as const, "rejected" as const, "retracted" as const), by: fc.constantFrom("ana", "bob"), notes: fc.option(fc.constant("ok"), { nil: undefined }), required: fc.constantFrom(1, 2) }),
  );

  it("keeps the cached status, the interaction's flags and the reasons consistent", () => {
    fc.assert(
      fc.property(fc.array(verdict, { maxLength: 2 }), fc.array(action, { maxLength: 20 }), (first, actions) => {
        let item = start(first);
        for (const a of actions) {
          let t: Transition;
          try {
            t =
              a.kind === "feedback"
                ? onFeedback(item, a.verdicts, at)
                : onDecision(item, a.decision === "retracted" ? retract(a.by) : { decision: a.decision, by: a.by, at, notes: a.notes, requiredApprovals: a.required });
          } catch (error) {
            expect(error instanceof ConflictError || error instanceof InvalidInputError).toBe(true);
            continue;
          }
          item = apply(item, t);
          expect(t.item.status).toBe(deriveState(item.history, t.item.required_approvals).status);
          expect(t.interaction).toEqual({ flagged_for_review: t.item.status === "flagged", training_eligible: t.item.status !== "flagged", training_validated: t.item.status === "approved" });
          expect(t.item.validated).toBe(t.item.status === "approved");
          if (t.item.status === "flagged") expect(t.item.flag_reasons.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
