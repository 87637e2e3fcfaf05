/**
 * A training example's review status, derived from its history of decisions:
 * - a learner's poor feedback flags it; any reviewer approving it afterwards (with a note) clears the flag;
 * - each reviewer's latest decision counts (a reviewer may change their mind, or retract);
 * - any standing rejection → rejected; at least `requiredApprovals` different approvers → approved;
 * - otherwise pending.
 *
 * @example
 * reviewStatus([{ decision: "approved", by: "ana", at }], 2) // "pending": one of two approvals
 */
import type { QueueDecision, QueueStatus } from "../schema/queue.js";

export interface ReviewState {
  status: QueueStatus;
  approvers: string[];
  rejecters: string[];
  flagged: boolean;
}

export function reviewState(history: QueueDecision[], requiredApprovals = 1): ReviewState {
  let flagged = false;
  const latest = new Map<string, "approved" | "rejected">();
  for (const entry of history) {
    switch (entry.decision) {
      case "flagged":
        // Approvals given before new evidence of a poor answer no longer count.
        flagged = true;
        latest.clear();
        break;
      case "unflagged":
        flagged = false;
        break;
      case "retracted":
        latest.delete(entry.by);
        break;
      case "approved":
        flagged = false;
        latest.set(entry.by, "approved");
        break;
      case "rejected":
        latest.set(entry.by, "rejected");
        break;
    }
  }
  const approvers = [...latest].filter(([, d]) => d === "approved").map(([by]) => by);
  const rejecters = [...latest].filter(([, d]) => d === "rejected").map(([by]) => by);
  let status: QueueStatus = "pending";
  if (flagged) status = "flagged";
  else if (rejecters.length > 0) status = "rejected";
  else if (approvers.length >= Math.max(1, requiredApprovals)) status = "approved";
  return { status, approvers, rejecters, flagged };
}

export function reviewStatus(history: QueueDecision[], requiredApprovals = 1): QueueStatus {
  return reviewState(history, requiredApprovals).status;
}

/** Reviewers disagree: someone's standing approval against someone's standing rejection. */
export function hasDisagreement(history: QueueDecision[]): boolean {
  const state = reviewState(history);
  return state.approvers.length > 0 && state.rejecters.length > 0;
}
