import { describe, expect, it } from "vitest";
import { HELP_LINE, renderReviewScreen, SCREEN_HEIGHT, SCREEN_WIDTH } from "../../src/cli/output/review-screen.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { demoInteractions, FIXED_NOW } from "../helpers/fixtures.js";

describe("review screen", () => {
  const counts = { done: 12, approved: 10, rejected: 2, skipped: 3, remaining: 99_999 };

  it("fits 80x24 with the help line always at the bottom, for every demo item and for very long ones", () => {
    const inputs = demoInteractions(60);
    const long = { ...inputs[0]!, user_input: { ...inputs[0]!.user_input, text: "word ".repeat(400) }, analysis: { ...inputs[0]!.analysis, tutor_response: "x".repeat(2000), grammar_errors: Array.from({ length: 9 }, (_, i) => ({ type: "other", error: `e${i}`.repeat(50), correction: "c" })) } };
    for (const input of [...inputs, long]) {
      const interaction = buildInteractionDoc(InteractionInput.parse(input), FIXED_NOW);
      const item = buildQueueItem(interaction, { tasks: ["grammar", "fluency", "vocabulary"], quality: 0.9, origin: "auto", now: FIXED_NOW });
      const lines = renderReviewScreen({ item: { ...item, status: "flagged", flag_reasons: ["rating 1", "reported: wrong_correction"] }, counts, reviewer: "a-reviewer-with-a-long-name", note: "n".repeat(300), message: "m".repeat(200) });
      expect(lines).toHaveLength(SCREEN_HEIGHT);
      expect(lines.every((line) => line.length <= SCREEN_WIDTH)).toBe(true);
      expect(lines[SCREEN_HEIGHT - 1]).toBe(HELP_LINE);
      expect(lines.join("\n")).toContain("FLAGGED: rating 1; reported: wrong_correction");
    }
  });
});
