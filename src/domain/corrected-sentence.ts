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

const STARTS_WITH_WORD_CHARACTER = /^[\p{L}\p{N}]/u;
const ENDS_WITH_WORD_CHARACTER = /[\p{L}\p{N}]$/u;

/** A case-blind pattern for `words` that does not match inside a longer word. */
function wholeWordsIgnoringCase(words: string): RegExp {
  const start = STARTS_WITH_WORD_CHARACTER.test(words) ? "(?<![\\p{L}\\p{N}])" : "";
  const end = ENDS_WITH_WORD_CHARACTER.test(words) ? "(?![\\p{L}\\p{N}])" : "";
  return new RegExp(`${start}${escape(words)}${end}`, "giu");
}

/** Whether the code point just before `index` is a letter or a digit (a pair of UTF-16 units at most). */
function wordBefore(text: string, index: number): boolean {
  return ENDS_WITH_WORD_CHARACTER.test(text.slice(Math.max(0, index - 2), index));
}

function wordAt(text: string, index: number): boolean {
  return STARTS_WITH_WORD_CHARACTER.test(text.slice(index, index + 2));
}

/** Whether `span` shares a character with a span an earlier correction took (touching is not sharing). */
function overlapsTaken([start, end]: [number, number], taken: Array<[number, number]>): boolean {
  return taken.some(([from, to]) => start < to && from < end);
}

/**
 * The first exact-case whole-word occurrence of `words` not overlapping `taken`, found with
 * `indexOf` (building a Unicode pattern per error cost a fifth of a grammar export); the same
 * matches, in the same order, as the whole-word pattern.
 */
function findExact(text: string, words: string, taken: Array<[number, number]>): [number, number] | undefined {
  const checkStart = STARTS_WITH_WORD_CHARACTER.test(words);
  const checkEnd = ENDS_WITH_WORD_CHARACTER.test(words);
  for (let from = 0; ; ) {
    const at = text.indexOf(words, from);
    if (at === -1) return undefined;
    const end = at + words.length;
    if ((checkStart && wordBefore(text, at)) || (checkEnd && wordAt(text, end))) {
      from = at + 1;
      continue;
    }
    if (!overlapsTaken([at, end], taken)) return [at, end];
    // A pattern's next search starts where its last match ended.
    from = end;
  }
}

function findSpan(text: string, words: string, taken: Array<[number, number]>): [number, number] | undefined {
  const exact = findExact(text, words, taken);
  if (exact) return exact;
  for (const match of text.matchAll(wholeWordsIgnoringCase(words))) {
    const span: [number, number] = [match.index, match.index + match[0].length];
    if (!overlapsTaken(span, taken)) return span;
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
