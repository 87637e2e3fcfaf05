/**
 * The review state of a training example and the flags of its interaction, owned in one place.
 * Every change is a transition (the example is created, its learners' feedback changes, a reviewer
 * decides) that returns the history entry to append and the fields to set on both documents; a
 * service applies them in one transaction. The example's `status` is a cache of its history.
 *
 * The rules:
 * - a verdict flags when its rating is 2 or less, it says the answer was not accurate, or it reports
 *   any issue; a new reason flags the example, which voids the approvals given before it, takes the
 *   interaction out of training (`flagged_for_review`, not `training_eligible`) and the example out
 *   of exports;
 * - only an approval with a note clears a flag (for as long as that approval stands), or the learners
 *   withdrawing every flagging verdict; a reason a reviewer has cleared does not flag again;
 * - each reviewer's latest decision counts (a reviewer may change their mind, or retract) and every
 *   decision stays in the history; any standing rejection → rejected; at least `requiredApprovals`
 *   different approvers → approved; otherwise pending. `training_validated` ⇔ approved.
 *
 * @example
 * const t = onDecision(item, { decision: "approved", by: "ana", at: now, notes: "fine", requiredApprovals: 1 });
 * // t.entry is appended to item.history; t.item and t.interaction are $set on the two documents
 */
import { ConflictError, InvalidInputError } from "../errors.js";
import { idText } from "../schema/common.js";
import type { QueueDecision, QueueItemDoc, QueueStatus } from "../schema/queue.js";
import { flagReasons, type Verdict } from "./quality.js";

export interface ReviewState {
  status: QueueStatus;
  approvers: string[];
  rejecters: string[];
  /** Feedback raised a flag that it has not withdrawn (a noted approval may hold it cleared). */
  raised: boolean;
  /** Raised and not cleared: the example is out of training until a reviewer clears it. */
  flagged: boolean;
}

/** What a transition reads of an example. */
export type ReviewRecord = Pick<QueueItemDoc, "history" | "flag_reasons" | "required_approvals">;

export interface InteractionFlags {
  flagged_for_review: boolean;
  training_eligible: boolean;
  training_validated: boolean;
}

export interface ItemReviewFields {
  status: QueueStatus;
  validated: boolean;
  flag_reasons: string[];
  required_approvals: number;
  validated_by?: string;
  validated_at?: Date;
  validation_notes?: string | null;
}

export interface Transition {
  /** Appended to the example's history, when the change is worth recording. */
  entry: QueueDecision | null;
  item: ItemReviewFields;
  interaction: InteractionFlags;
  state: ReviewState;
}

export type Decision =
  | { decision: "approved" | "rejected"; by: string; at: Date; notes?: string; requiredApprovals: number }
  | { decision: "retracted"; by: string; at: Date };

/** The name feedback-driven entries carry in the history. */
const FEEDBACK_ACTOR = "feedback";

export function deriveState(history: QueueDecision[], requiredApprovals = 1): ReviewState {
  let raised = false;
  // Each reviewer's standing decision; `noted` marks an approval that came with a note.
  const latest = new Map<string, { decision: "approved" | "rejected"; noted: boolean }>();
  for (const entry of history) {
    switch (entry.decision) {
      case "flagged":
        // Approvals given before new evidence of a poor answer no longer count; rejections still do.
        raised = true;
        for (const [by, standing] of latest) if (standing.decision === "approved") latest.delete(by);
        break;
      case "unflagged":
        raised = false;
        break;
      case "retracted":
        latest.delete(entry.by);
        break;
      case "approved": {
        const before = latest.get(entry.by);
        const noted = Boolean(entry.notes?.trim()) || (before?.decision === "approved" && before.noted);
        latest.set(entry.by, { decision: "approved", noted });
        break;
      }
      case "rejected":
        latest.set(entry.by, { decision: "rejected", noted: false });
        break;
    }
  }
  const standing = [...latest];
  const approvers = standing.filter(([, d]) => d.decision === "approved").map(([by]) => by);
  const rejecters = standing.filter(([, d]) => d.decision === "rejected").map(([by]) => by);
  // The flag stays cleared only while an approval with a note stands (taking it back restores the flag).
  const flagged = raised && !standing.some(([, d]) => d.decision === "approved" && d.noted);
  let status: QueueStatus = "pending";
  if (flagged) status = "flagged";
  else if (rejecters.length > 0) status = "rejected";
  else if (approvers.length >= Math.max(1, requiredApprovals)) status = "approved";
  return { status, approvers, rejecters, raised, flagged };
}

/** Reviewers disagree: someone's standing approval against someone's standing rejection. */
export function hasDisagreement(history: QueueDecision[]): boolean {
  const state = deriveState(history);
  return state.approvers.length > 0 && state.rejecters.length > 0;
}

/** The review state of a new example, given the feedback its interaction already has. */
export function initial(verdicts: Verdict[], at: Date): Transition {
  return onFeedback({ history: [], flag_reasons: [] }, verdicts, at);
}

/**
 * The example follows all of its interaction's feedback: a reason not seen before flags it; when no
 * verdict flags any more, the flag is withdrawn (so taking back a clearing approval cannot restore it).
 */
export function onFeedback(item: ReviewRecord, verdicts: Verdict[], at: Date): Transition {
  const reasons = [...new Set(verdicts.flatMap((verdict) => flagReasons(verdict)))];
  const fresh = reasons.filter((reason) => !item.flag_reasons.includes(reason));
  let entry: QueueDecision | null = null;
  if (fresh.length > 0) entry = { decision: "flagged", by: FEEDBACK_ACTOR, at, notes: fresh.join("; ") };
  else if (reasons.length === 0 && deriveState(item.history).raised) entry = { decision: "unflagged", by: FEEDBACK_ACTOR, at, notes: "newer feedback no longer flags it" };
  return settle(item, entry, item.required_approvals ?? 1, reasons);
}

/**
 * A reviewer approves, rejects, or takes back their standing decision. Approving a flagged example
 * needs a note (it clears the flag); taking back needs a standing decision.
 */
export function onDecision(item: ReviewRecord & Pick<QueueItemDoc, "_id">, decision: Decision): Transition {
  const before = deriveState(item.history);
  if (decision.decision === "retracted") {
    if (!before.approvers.includes(decision.by) && !before.rejecters.includes(decision.by)) {
      throw new ConflictError(`${decision.by} has no decision on example ${idText(item._id)} to take back`, { details: { example_id: idText(item._id) } });
    }
    return settle(item, { decision: "retracted", by: decision.by, at: decision.at }, item.required_approvals ?? 1, item.flag_reasons);
  }
  const notes = decision.notes?.trim() || undefined;
  if (decision.decision === "approved" && before.flagged && !notes) {
    throw InvalidInputError.forFields(`example ${idText(item._id)} is flagged (${item.flag_reasons.join("; ")}) and approving clears the flag`, [
      { field: "notes", reason: "add a note saying why the answer is fine" },
    ]);
  }
  const entry: QueueDecision = { decision: decision.decision, by: decision.by, at: decision.at, ...(notes ? { notes } : {}) };
  const transition = settle(item, entry, decision.requiredApprovals, item.flag_reasons);
  Object.assign(transition.item, { validated_by: entry.by, validated_at: entry.at, validation_notes: notes ?? null });
  return transition;
}

function settle(item: ReviewRecord, entry: QueueDecision | null, requiredApprovals: number, reasons: string[]): Transition {
  const state = deriveState(entry ? [...item.history, entry] : item.history, requiredApprovals);
  const approved = state.status === "approved";
  return {
    entry,
    item: { status: state.status, validated: approved, flag_reasons: reasons, required_approvals: requiredApprovals },
    interaction: { flagged_for_review: state.flagged, training_eligible: !state.flagged, training_validated: approved },
    state,
  };
}
