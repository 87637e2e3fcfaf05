/**
 * Test data from the seeded demo generator, never hand-typed blobs.
 */
import { generateDemoData } from "../../src/domain/demo-data.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";

export const FIXED_NOW = new Date("2026-06-15T12:00:00Z");

export function demoInteractions(count: number, seed = 7): InteractionInput[] {
  return generateDemoData({ users: 12, interactions: count, days: 20, seed, now: FIXED_NOW }).interactions;
}

/** A demo interaction reshaped to hit one auto-queue case. */
export function interactionWith(analysis: Partial<InteractionInput["analysis"]>, seed = 1): InteractionInput {
  const base = demoInteractions(1, seed)[0]!;
  return { ...base, analysis: { ...base.analysis, ...analysis } };
}

/**
 * `count` grammar examples queued from one demo interaction, each with its own id, source and
 * sentence (`q-<i>`, `src-<i>`); `vary(i)` sets what a test changes, such as the learner.
 */
export function queuedExamples(count: number, vary: (i: number) => Partial<QueueItemDoc>): QueueItemDoc[] {
  const [base] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 3, now: FIXED_NOW }).interactions;
  const interaction = buildInteractionDoc(InteractionInput.parse(base), FIXED_NOW);
  return Array.from({ length: count }, (_, i) => ({
    ...buildQueueItem(interaction, { tasks: ["grammar"], quality: 0.9, origin: "auto", now: FIXED_NOW }),
    _id: `q-${i}` as never,
    source_interaction_id: `src-${i}` as never,
    user_input: `Sentence number ${i} of the learner.`,
    ...vary(i),
  }));
}
