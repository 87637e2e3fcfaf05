import { InvalidInputError } from "../errors.js";
import { CEFR_LEVELS, type CefrLevel } from "../schema/common.js";

/** A level as people type it: "b2", " B2 " → "B2"; anything else is refused, naming the six. */
export function parseLevel(text: string, flag = "--level"): CefrLevel {
  const level = text.trim().toUpperCase();
  if ((CEFR_LEVELS as readonly string[]).includes(level)) return level as CefrLevel;
  throw new InvalidInputError(`${flag} takes a CEFR level: ${CEFR_LEVELS.join(", ")} (any case); got "${text}"`);
}

export function cefrRank(level: CefrLevel): number {
  return CEFR_LEVELS.indexOf(level);
}

/** B2, C1 and C2 are "B2 or above" (the original forgot C2). */
export function isAtLeast(level: CefrLevel, floor: CefrLevel): boolean {
  return cefrRank(level) >= cefrRank(floor);
}
