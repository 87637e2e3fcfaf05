/**
 * The corrected sentence found with `indexOf` is the one the whole-word patterns find: same
 * spans, same order, same refusals, over texts mixing cases, punctuation, digits, accents and
 * characters outside the Basic Multilingual Plane.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Correction, correctedSentence } from "../../src/domain/corrected-sentence.js";

/** The definition: each error's words as a whole-word pattern, exact case first, then ignoring case. */
function reference(text: string, corrections: Correction[]): string | undefined {
  const escape = (words: string) => words.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = (words: string, flags: string) =>
    new RegExp(`${/^[\p{L}\p{N}]/u.test(words) ? "(?<![\\p{L}\\p{N}])" : ""}${escape(words)}${/[\p{L}\p{N}]$/u.test(words) ? "(?![\\p{L}\\p{N}])" : ""}`, `gu${flags}`);
  const edits: Array<{ span: [number, number]; correction: string }> = [];
  for (const { error, correction } of corrections) {
    const words = error.trim();
    if (!words) return undefined;
    let span: [number, number] | undefined;
    search: for (const flags of ["", "i"]) {
      for (const match of text.matchAll(pattern(words, flags))) {
        const candidate: [number, number] = [match.index, match.index + match[0].length];
        if (!edits.some(({ span: [from, to] }) => candidate[0] < to && from < candidate[1])) {
          span = candidate;
          break search;
        }
      }
    }
    if (!span) return undefined;
    edits.push({ span, correction: correction.trim() });
  }
  let result = text;
  for (const { span, correction } of edits.sort((a, b) => b.span[0] - a.span[0])) result = result.slice(0, span[0]) + correction + result.slice(span[1]);
  return result.replace(/ {2,}/g, " ").trim();
}

const piece = fc.constantFrom("go", "Go", "GO", "goes", "ago", "1", "12", "é", "É", "ß", "𝒜", "😀", "a", "-", ".", "'", " ", "  ", "go-", "-go", "x𝒜");
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
const error = fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(""));

describe("corrected sentence", () => {
  it("finds the same words as the whole-word patterns, for any text and errors", () => {
    fc.assert(
      fc.property(text, fc.array(fc.record({ error, correction: fc.constantFrom("went", "", "X") }), { maxLength: 3 }), (sentence, corrections) => {
        expect(correctedSentence(sentence, corrections)).toBe(reference(sentence, corrections));
      }),
      { numRuns: 2000 },
    );
  });
});
