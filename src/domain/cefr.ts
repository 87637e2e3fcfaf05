import { CEFR_LEVELS, type CefrLevel } from "../schema/common.js";

export function cefrRank(level: CefrLevel): number {
  return CEFR_LEVELS.indexOf(level);
}

/** B2, C1 and C2 are "B2 or above" (the original forgot C2). */
export function isAtLeast(level: CefrLevel, floor: CefrLevel): boolean {
  return cefrRank(level) >= cefrRank(floor);
}
