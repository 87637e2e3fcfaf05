/**
 * Any sequence of learner feedback, queue adds and reviewer decisions, run through the services on a
 * real (embedded) store, keeps an example's status and its interaction's flags consistent.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flagReasons, type Verdict } from "../../src/domain/quality.js";
import { deriveState } from "../../src/domain/review-state.js";
import { ConflictError, InvalidInputError } from "../../src/errors.js";
import type { InteractionDoc } from "../../src/schema/interaction.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { submitFeedback } from "../../src/services/feedback.js";
import { logInteraction } from "../../src/services/interactions.js";
import { addToQueue, retractDecision, validateExample } from "../../src/services/queue.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { interactionWith } from "../helpers/fixtures.js";

type Step =
  | { kind: "feedback"; user: string; verdict: Verdict & { helpful?: boolean } }
  | { kind: "add" }
  | { kind: "approve"; by: string; notes?: string; require: number }
  | { kind: "reject"; by: string; require: number }
  | { kind: "retract"; by: string };

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const reviewer = fc.constantFrom("ana", "bob", "cy");
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("feedback" as const),
    user: fc.constantFrom("u1", "u2"),
    verdict: fc.record({
      rating: fc.integer({ min: 1, max: 5 }),
      helpful: optional(fc.boolean()),
      accurate: optional(fc.boolean()),
      reported_issues: fc.subarray(["too_long", "wrong_correction"]),
    }),
  }),
  fc.constant({ kind: "add" as const }),
  fc.record({ kind: fc.constant("approve" as const), by: reviewer, notes: optional(fc.constantFrom("the correction is right", "  ")), require: fc.constantFrom(1, 2) }),
  fc.record({ kind: fc.constant("reject" as const), by: reviewer, require: fc.constantFrom(1, 2) }),
  fc.record({ kind: fc.constant("retract" as const), by: reviewer }),
);

const autoQueued = interactionWith({ grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }], fluency_score: 0.9 });
const notQueued = interactionWith({ grammar_errors: [], fluency_score: 0.3, vocabulary_level: "A1" });

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

interface Snapshot {
  interaction: InteractionDoc;
  item: QueueItemDoc | null;
}

async function snapshot(): Promise<Snapshot> {
  const interaction = (await store.collection<InteractionDoc>(COLLECTIONS.interactions).findOne({}))!;
  const item = await store.collection<QueueItemDoc>(COLLECTIONS.queue).findOne({});
  return { interaction, item };
}

/** Runs a step through the services; refusals the rules call for are returned, anything else fails. */
async function run(s: Step, itemId: string | null, interactionId: string): Promise<"done" | "refused" | "skipped"> {
  try {
    if (s.kind === "feedback") await submitFeedback(store, { interaction_id: interactionId, user_id: s.user, ...s.verdict });
    else if (s.kind === "add") await addToQueue(store, { interaction_id: interactionId, task_types: ["grammar"] });
    else if (!itemId) return "skipped";
    else if (s.kind === "approve") await validateExample(store, { example_id: itemId, approved: true, validated_by: s.by, notes: s.notes, require_approvals: s.require });
    else if (s.kind === "reject") await validateExample(store, { example_id: itemId, approved: false, validated_by: s.by, require_approvals: s.require });
    else await retractDecision(store, { example_id: itemId, validated_by: s.by });
    return "done";
  } catch (error) {
    if (error instanceof ConflictError || error instanceof InvalidInputError) return "refused";
    throw error;
  }
}

const sorted = (values: string[]) => [...values].sort();

function checkConsistent({ interaction, item }: Snapshot, verdicts: Map<string, Verdict>): void {
  const reasons = sorted([...new Set([...verdicts.values()].flatMap((v) => flagReasons(v)))]);
  expect(interaction.training_eligible).toBe(!interaction.flagged_for_review);
  if (!item) {
    // Nothing can be reviewed yet: the interaction is flagged exactly while some verdict flags it.
    expect(interaction.flagged_for_review).toBe(reasons.length > 0);
    expect(interaction.training_validated).toBe(false);
    return;
  }
  expect(item.status).toBe(deriveState(item.history, item.required_approvals ?? 1).status);
  expect(sorted(item.flag_reasons)).toEqual(reasons);
  expect(interaction.flagged_for_review).toBe(item.status === "flagged");
  expect(item.validated).toBe(item.status === "approved");
  expect(interaction.training_validated).toBe(item.status === "approved");
  if (item.status === "flagged") expect(item.flag_reasons.length).toBeGreaterThan(0);
}

/** A flag comes and goes only by the rules: new poor feedback raises it; a noted approval or withdrawn feedback clears it. */
function checkFlagChange(before: Snapshot, after: Snapshot, s: Step, outcome: string, verdicts: Map<string, Verdict>): void {
  const was = before.interaction.flagged_for_review === true;
  const is = after.interaction.flagged_for_review === true;
  if (outcome !== "done") {
    expect(after).toEqual(before);
    return;
  }
  if (was && !is) {
    const noted = s.kind === "approve" && Boolean(s.notes?.trim());
    const withdrawn = s.kind === "feedback" && [...verdicts.values()].every((v) => flagReasons(v).length === 0);
    expect(noted || withdrawn).toBe(true);
  }
  if (!was && is) expect(["feedback", "add", "reject", "retract"]).toContain(s.kind);
}

describe("review state over any sequence of feedback, adds and decisions", () => {
  it("keeps the example's status and its interaction's flags consistent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(step, { minLength: 1, maxLength: 14 }), async (auto, steps) => {
        await store.collection(COLLECTIONS.queue).deleteMany({});
        await store.collection(COLLECTIONS.feedback).deleteMany({});
        await store.collection(COLLECTIONS.interactions).deleteMany({});
        const { interaction_id } = await logInteraction(store, auto ? autoQueued : notQueued);
        const verdicts = new Map<string, Verdict>();
        let before = await snapshot();
        checkConsistent(before, verdicts);
        for (const s of steps) {
          const outcome = await run(s, before.item ? String(before.item._id) : null, interaction_id);
          if (outcome === "done" && s.kind === "feedback") verdicts.set(s.user, s.verdict);
          const after = await snapshot();
          checkConsistent(after, verdicts);
          checkFlagChange(before, after, s, outcome, verdicts);
          if (outcome === "refused" && s.kind === "approve") expect(before.item?.status).toBe("flagged");
          if (outcome === "done" && s.kind !== "feedback" && s.kind !== "add") expect(after.item!.history.length).toBe(before.item!.history.length + 1);
          before = after;
        }
      }),
      { numRuns: 50 },
    );
  });
});
