/**
 * Interactions for the wire tests, from the seeded demo generator: shifted to end now (so the
 * original's day windows see them), each text made unique (so exports keep every example), and
 * fluency scores that are multiples of 1/64. Sums of such scores are exact in any order, so an
 * average computed by an engine and one computed by a test must be the very same double.
 */
import type { InteractionInput } from "../../src/schema/interaction.js";
import { demoInteractions, FIXED_NOW } from "./fixtures.js";

export function wireInteractions(count: number, seed: number, now = new Date()): InteractionInput[] {
  const shift = now.getTime() - FIXED_NOW.getTime();
  return demoInteractions(count, seed).map((input, index) => ({
    ...input,
    timestamp: new Date(new Date(input.timestamp as Date).getTime() + shift),
    user_input: { ...input.user_input, text: `${input.user_input.text} (${seed}-${index})` },
    analysis: { ...input.analysis, fluency_score: ((index * 37 + seed) % 65) / 64 },
  }));
}

/** The Monday (UTC) of a time's week, as `YYYY-MM-DD`. */
export function mondayOf(time: Date): string {
  const day = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}
