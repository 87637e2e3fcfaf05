/**
 * Test data from the seeded demo generator, never hand-typed blobs.
 */
import { generateDemoData } from "../../src/domain/demo-data.js";
import type { InteractionInput } from "../../src/schema/interaction.js";

export const FIXED_NOW = new Date("2026-06-15T12:00:00Z");

export function demoInteractions(count: number, seed = 7): InteractionInput[] {
  return generateDemoData({ users: 12, interactions: count, days: 20, seed, now: FIXED_NOW }).interactions;
}

/** A demo interaction reshaped to hit one auto-queue case. */
export function interactionWith(analysis: Partial<InteractionInput["analysis"]>, seed = 1): InteractionInput {
  const base = demoInteractions(1, seed)[0]!;
  return { ...base, analysis: { ...base.analysis, ...analysis } };
}
