/**
 * Two learner texts are the same example when they match after normalization: Unicode NFKC,
 * lower case, curly quotes made straight, runs of spaces folded, and trailing punctuation ignored.
 *
 * @example
 * normalizeText("  I go   to school YESTERDAY!! ") === normalizeText("i go to school yesterday") // true
 */
export function normalizeText(text: string): string {
  // ASCII text is its own NFKC form and holds no curly quotes: only case and spaces change.
  const folded = ASCII.test(text) ? text.toLowerCase() : text.normalize("NFKC").toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  return folded
    .replace(/\s+/g, " ")
    .replace(/[\s.!?\u2026]+$/u, "")
    .trim();
}

const ASCII = /^[\x00-\x7f]*$/;

export function dedupKey(task: string, text: string): string {
  return `${task}\u0000${normalizeText(text)}`;
}
