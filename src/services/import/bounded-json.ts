/**
 * JSON from outside with its nesting bounded before it is parsed: a deeply nested value would
 * otherwise overflow the stack of every recursive step after parsing (validation, operator-key
 * checks, encoding). The scan is one linear pass that does not recurse.
 */
import { InvalidInputError } from "../../errors.js";

/** Deeper than any lexi record (an interaction nests about 4 levels). */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in `text`, stopping early once past `limit`. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

/** JSON.parse that refuses nesting deeper than `maxDepth` (InvalidInputError) and invalid JSON (SyntaxError). */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth) throw new InvalidInputError(`JSON nested deeper than ${maxDepth} levels`);
  return JSON.parse(text);
}
