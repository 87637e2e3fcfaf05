/**
 * The learner's sentence with the tutor's corrections applied, so a grammar target can end with the
 * sentence as it should be. Each error's words are found in the text as whole words (exact case
 * first, then ignoring case), left to right without overlaps; when any error cannot be found the
 * sentence is not guessed.
 *
 * @example
 * correctedSentence("Yesterday I go to school", [{ error: "go", correction: "went" }]) // "Yesterday I went to school"
 */
export interface Correction {
  error: string;
  correction: string;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern for `words` that does not match inside a longer word. */
function wholeWords(words: string, flags: string): RegExp {
  const start = /^[\p{L}\p{N}]/u.test(words) ? "(?<![\\p{L}\\p{N}])" : "";
  const end = /[\p{L}\p{N}]$/u.test(words) ? "(?![\\p{L}\\p{N}])" : "";
  return new RegExp(`${start}${escape(words)}${end}`, `gu${flags}`);
}

function findSpan(text: string, words: string, taken: Array<[number, number]>): [number, number] | undefined {
  for (const flags of ["", "i"]) {
    for (const match of text.matchAll(wholeWords(words, flags))) {
      const span: [number, number] = [match.index, match.index + match[0].length];
      if (!taken.some(([from, to]) => span[0] < to && from < span[1])) return span;
    }
  }
  return undefined;
}

export function correctedSentence(text: string, corrections: Correction[]): string | undefined {
  const edits: Array<{ span: [number, number]; correction: string }> = [];
  for (const { error, correction } of corrections) {
    if (!error.trim()) return undefined;
    const span = findSpan(text, error.trim(), edits.map((e) => e.span));
    if (!span) return undefined;
    edits.push({ span, correction: correction.trim() });
  }
  let result = text;
  for (const { span, correction } of edits.sort((a, b) => b.span[0] - a.span[0])) result = result.slice(0, span[0]) + correction + result.slice(span[1]);
  return result.replace(/ {2,}/g, " ").trim();
}
