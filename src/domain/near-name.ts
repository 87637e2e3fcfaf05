/**
 * "Did you mean …?" for a mistyped name: a field, a task, a level.
 *
 * @example
 * nearName("text", ["feedback_text", "rating"]);   // "feedback_text" (a part of the name)
 * nearName("grammer", ["grammar", "fluency"]);     // "grammar" (two letters off)
 */
import { distance } from "fastest-levenshtein";

/** The known name closest to `name`, or undefined when none is close enough to be a likely meaning. */
export function nearName(name: string, known: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  // A known name made of parts, one of which is what was written: "text" → "feedback_text".
  const byPart = known.filter((candidate) => candidate.toLowerCase().split(/[_.-]/).includes(wanted));
  if (byPart.length) return shortest(byPart);
  // A prefix of a longer name: "fluency" → "fluency_score_avg".
  const byPrefix = known.filter((candidate) => candidate.toLowerCase().startsWith(wanted) && wanted.length >= 3);
  if (byPrefix.length) return shortest(byPrefix);
  // A typo: few edits for the name's length (one in three letters, at least two).
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(wanted, candidate.toLowerCase());
    if (d <= allowed && d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function shortest(names: string[]): string {
  return names.reduce((a, b) => (b.length < a.length ? b : a));
}
