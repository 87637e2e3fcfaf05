/**
 * Dedup keys must never change for a text (a rerun of an export would otherwise keep a duplicate
 * it dropped before): the ASCII shortcut gives what the full normalization gives.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeText } from "../../src/domain/dedup-key.js";

/** The definition: NFKC, lower case, straight quotes, folded spaces, no trailing punctuation. */
function reference(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .replace(/[\s.!?…]+$/u, "")
    .trim();
}

describe("normalized text", () => {
  it("is the full normalization for ASCII and for any other text", () => {
    const pieces = fc.constantFrom("A", "b", " ", "\t", "\n", "!", "?", ".", "…", "\u2019", "\u201c", "ﬁ", "Ａ", "İ", "é", "e\u0301", "1", "'");
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary-ascii" }), fc.array(pieces).map((parts) => parts.join(""))), (text) => {
        expect(normalizeText(text)).toBe(reference(text));
      }),
      { numRuns: 1000 },
    );
  });
});
