import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { helpLine, renderHelpScreen, renderReviewScreen } from "../../src/cli/output/review-screen.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { demoInteractions, FIXED_NOW } from "../helpers/fixtures.js";

const counts = { done: 12, approved: 10, rejected: 2, skipped: 3, remaining: 99_999 };
const SIZES = [
  { width: 50, height: 16 },
  { width: 60, height: 20 },
  { width: 80, height: 24 },
  { width: 120, height: 40 },
  { width: 200, height: 60 },
];

function flaggedItem(input: ReturnType<typeof demoInteractions>[number]) {
  const interaction = buildInteractionDoc(InteractionInput.parse(input), FIXED_NOW);
  const item = buildQueueItem(interaction, { tasks: ["grammar", "fluency", "vocabulary"], quality: 0.9, origin: "auto", now: FIXED_NOW });
  return { ...item, status: "flagged" as const, flag_reasons: ["rating 1", "reported: wrong_correction"] };
}

describe("review screen", () => {
  const inputs = demoInteractions(40);
  const long = {
    ...inputs[0]!,
    user_input: { ...inputs[0]!.user_input, text: "Tôi muốn học tiếng Anh 🇻🇳 mỗi ngày ".repeat(60) },
    analysis: { ...inputs[0]!.analysis, tutor_response: "Rất tốt! ".repeat(300), grammar_errors: Array.from({ length: 9 }, (_, i) => ({ type: "other", error: `e${i}`.repeat(50), correction: "c" })) },
  };

  it.each(SIZES)("fits $width x $height in display columns with the header on top and the help line at the bottom", ({ width, height }) => {
    for (const input of [...inputs, long]) {
      const lines = renderReviewScreen({
        item: flaggedItem(input),
        counts,
        reviewer: "a-reviewer-with-a-long-name",
        width,
        height,
        note: "n".repeat(300),
        message: "m".repeat(200),
        verdicts: [{ rating: 1, helpful: false, accurate: false, feedback_text: "the correction is wrong, “went” is right", reported_issues: ["wrong_correction"] }],
        twins: 4,
      });
      expect(lines).toHaveLength(height);
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/^lexi review · a-reviewer/);
      expect(lines[height - 1]).toBe(helpLine(width));
    }
  });

  it("says how to clear a flag, what the learner said and how many twins a group decision covers, without cutting words", () => {
    const lines = renderReviewScreen({
      item: flaggedItem(inputs[1]!),
      counts,
      reviewer: "ana",
      width: 60,
      height: 30,
      verdicts: [{ rating: 2, accurate: false, feedback_text: "wrong tense", reported_issues: ["wrong_correction"] }],
      twins: 3,
    });
    const text = lines.join(" ").replace(/\s+/g, " ");
    expect(text).toContain("FLAGGED: rating 1; reported: wrong_correction. Approving clears the flag and needs a note (n).");
    expect(text).toContain("Learner said: ★2 · inaccurate · issues: wrong_correction · “wrong tense”");
    expect(text).toContain("g decides for all 4");
    // Wrapped at words: every word of the learner's text is whole on some line.
    const tokens = new Set(lines.flatMap((line) => line.trim().split(" ")));
    for (const word of inputs[1]!.user_input.text.split(/\s+/)) expect(tokens).toContain(word);
  });

  it("has a help screen listing every key", () => {
    const help = renderHelpScreen(60, 20).join("\n");
    for (const key of ["a approve", "r reject", "s skip", "n write a note", "u undo", "g decide once", "? this help", "q quit"]) expect(help).toContain(key);
  });
});
