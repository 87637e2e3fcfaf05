/**
 * Reviewers' corrections of an example's target. A correction is saved as a revision (who, when,
 * the target before, the target after, why) and the example's `corrected_output` is its analysis
 * with the latest revision applied. Taking back the approval that made a revision reverts it, but
 * only while it is the latest one, so a later reviewer's fix is never undone by someone else.
 *
 * @example
 * const { revision, corrected_output } = reviseTarget(item, target, { by: "ana", at: now });
 */
import { targetOf, type CorrectedTarget, type CorrectionRevision } from "../schema/correction.js";
import type { Analysis } from "../schema/interaction.js";
import type { QueueDecision, QueueItemDoc } from "../schema/queue.js";

type Revisable = Pick<QueueItemDoc, "expected_output" | "revisions" | "corrected_output">;

/** The target an example trains on: the latest correction, else the tutor's own output. */
export function currentOutput(item: Revisable): Analysis {
  return item.corrected_output ?? item.expected_output;
}

export function applyTarget(analysis: Analysis, target: CorrectedTarget): Analysis {
  const { vocabulary_suggestions: _dropped, ...rest } = analysis;
  return { ...rest, ...target };
}

export function reviseTarget(item: Revisable, target: CorrectedTarget, meta: { by: string; at: Date; note?: string }): { index: number; revision: CorrectionRevision; corrected_output: Analysis } {
  const revision: CorrectionRevision = { by: meta.by, at: meta.at, previous: targetOf(currentOutput(item)), target, ...(meta.note ? { note: meta.note } : {}) };
  return { index: item.revisions?.length ?? 0, revision, corrected_output: applyTarget(item.expected_output, target) };
}

/** The reviewer's standing decision: their latest approval or rejection not taken back since. */
function standingEntry(history: QueueDecision[], by: string): QueueDecision | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.by !== by) continue;
    if (entry.decision === "retracted") return undefined;
    if (entry.decision === "approved" || entry.decision === "rejected") return entry;
  }
  return undefined;
}

/**
 * What taking back `by`'s standing decision does to the target: undefined when it made no revision
 * (or a later one exists), else the output to restore (`null`: the tutor's own).
 */
export function revertOnRetract(item: Revisable & Pick<QueueItemDoc, "history">, by: string): { corrected_output: Analysis | null } | undefined {
  const entry = standingEntry(item.history, by);
  const revisions = item.revisions ?? [];
  if (entry?.revision === undefined || entry.revision !== revisions.length - 1) return undefined;
  const earlier = revisions.slice(0, -1).at(-1);
  return { corrected_output: earlier ? applyTarget(item.expected_output, earlier.target) : null };
}
