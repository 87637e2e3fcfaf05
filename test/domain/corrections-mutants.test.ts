/**
 * Corrections of an example's target, as a reviewer sees them: what an example trains on, what a
 * revision records, and which retraction reverts which revision. Also the quality indicators an
 * interaction gets from its analysis.
 */
import { describe, expect, it } from "vitest";
import { applyTarget, currentOutput, reviseTarget, revertOnRetract } from "../../src/domain/corrections.js";
import { deriveQualityIndicators } from "../../src/domain/quality-indicators.js";
import type { CorrectedTarget, CorrectionRevision } from "../../src/schema/correction.js";
import type { Analysis } from "../../src/schema/interaction.js";
import type { QueueDecision } from "../../src/schema/queue.js";

const AT = new Date("2026-03-01T10:00:00Z");
const tutor: Analysis = {
  grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }],
  fluency_score: 0.6,
  vocabulary_level: "B1",
  tutor_response: "You go → went.",
  vocabulary_suggestions: ["journey"],
} as Analysis;
const fixA: CorrectedTarget = { grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], tutor_response: "Use went: it was yesterday." };
const fixB: CorrectedTarget = { grammar_errors: [], tutor_response: "Perfect sentence." };
const revision = (target: CorrectedTarget, by: string): CorrectionRevision => ({ by, at: AT, previous: fixA, target });
const decision = (by: string, kind: QueueDecision["decision"], revisionIndex?: number): QueueDecision => ({ by, at: AT, decision: kind, ...(revisionIndex === undefined ? {} : { revision: revisionIndex }) });

describe("what an example trains on", () => {
  it("is the tutor's output until a reviewer corrects it, then the correction", () => {
    expect(currentOutput({ expected_output: tutor })).toBe(tutor);
    const corrected = applyTarget(tutor, fixB);
    expect(currentOutput({ expected_output: tutor, corrected_output: corrected })).toBe(corrected);
  });

  it("keeps the measurements and replaces the editable parts, dropping suggestions the correction leaves out", () => {
    expect(applyTarget(tutor, fixB)).toEqual({ grammar_errors: [], fluency_score: 0.6, vocabulary_level: "B1", tutor_response: "Perfect sentence." });
    expect(applyTarget(tutor, { ...fixB, vocabulary_suggestions: ["trip"] }).vocabulary_suggestions).toEqual(["trip"]);
  });
});

describe("a revision", () => {
  it("records who, when, the target before and after, and the note when there is one", () => {
    const first = reviseTarget({ expected_output: tutor }, fixA, { by: "ana", at: AT, note: "clearer" });
    expect(first.index).toBe(0);
    expect(first.revision).toEqual({ by: "ana", at: AT, previous: { grammar_errors: tutor.grammar_errors, tutor_response: tutor.tutor_response, vocabulary_suggestions: ["journey"] }, target: fixA, note: "clearer" });
    expect(first.corrected_output).toEqual(applyTarget(tutor, fixA));
    const second = reviseTarget({ expected_output: tutor, corrected_output: first.corrected_output, revisions: [first.revision] }, fixB, { by: "ben", at: AT });
    expect(second.index).toBe(1);
    expect(second.revision.previous).toEqual({ grammar_errors: fixA.grammar_errors, tutor_response: fixA.tutor_response });
    expect("note" in second.revision).toBe(false);
    expect(second.corrected_output).toEqual(applyTarget(tutor, fixB));
  });
});

describe("taking back a correcting approval", () => {
  const revisions = [revision(fixA, "ana"), revision(fixB, "ben")];
  const item = (history: QueueDecision[], revs = revisions) => ({ expected_output: tutor, revisions: revs, corrected_output: applyTarget(tutor, revs.at(-1)!.target), history });

  it("restores the revision before the latest one, or the tutor's own output when it was the first", () => {
    const both = [decision("ana", "approved", 0), decision("ben", "approved", 1)];
    expect(revertOnRetract(item(both), "ben")).toEqual({ corrected_output: applyTarget(tutor, fixA) });
    expect(revertOnRetract(item([decision("ana", "approved", 0)], revisions.slice(0, 1)), "ana")).toEqual({ corrected_output: null });
  });

  it("reverts nothing when a later revision exists, the decision made none, or the reviewer has none standing", () => {
    const both = [decision("ana", "approved", 0), decision("ben", "approved", 1)];
    expect(revertOnRetract(item(both), "ana")).toBeUndefined();
    expect(revertOnRetract(item([...both, decision("cy", "approved")]), "cy")).toBeUndefined();
    expect(revertOnRetract(item(both), "dee")).toBeUndefined();
    expect(revertOnRetract({ expected_output: tutor, history: [decision("ana", "approved")] }, "ana")).toBeUndefined();
    expect(revertOnRetract({ expected_output: tutor, history: [decision("ana", "approved", 0)] }, "ana")).toBeUndefined();
  });

  it("looks at the reviewer's latest approval or rejection, past other people's entries and feedback flags", () => {
    const history = [decision("ana", "approved", 0), decision("ben", "approved", 1), decision("feedback", "flagged"), decision("cy", "rejected")];
    expect(revertOnRetract(item(history), "ben")).toEqual({ corrected_output: applyTarget(tutor, fixA) });
    // ben changed his mind to a rejection after correcting: that rejection stands, it made no revision.
    expect(revertOnRetract(item([...history, decision("ben", "rejected")]), "ben")).toBeUndefined();
    // ben already took his approval back: nothing of his stands.
    expect(revertOnRetract(item([...history, decision("ben", "retracted")]), "ben")).toBeUndefined();
    // A retraction by someone else does not hide ben's standing approval.
    expect(revertOnRetract(item([...history, decision("cy", "retracted")]), "ben")).toEqual({ corrected_output: applyTarget(tutor, fixA) });
  });
});

describe("quality indicators", () => {
  it("count grammar errors and note pronunciation errors", () => {
    expect(deriveQualityIndicators(tutor)).toEqual({ has_grammar_errors: true, error_count: 1, fluency_score: 0.6, vocabulary_level: "B1", has_pronunciation: false });
    const clean = { ...tutor, grammar_errors: [], pronunciation_errors: [{ word: "three", expected: "θriː", actual: "tri" }] } as unknown as Analysis;
    expect(deriveQualityIndicators(clean)).toEqual({ has_grammar_errors: false, error_count: 0, fluency_score: 0.6, vocabulary_level: "B1", has_pronunciation: true });
    expect(deriveQualityIndicators({ ...tutor, pronunciation_errors: [] } as Analysis).has_pronunciation).toBe(false);
  });
});
