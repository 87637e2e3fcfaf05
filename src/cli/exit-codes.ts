import type { LexiErrorCode } from "../errors.js";

/** Exit codes, documented in the README: scripts and CI branch on them. */
export const EXIT_CODES: Record<LexiErrorCode | "usage" | "unexpected", number> = {
  regression: 1,
  usage: 2,
  invalid_input: 2,
  not_found: 3,
  conflict: 4,
  store_unavailable: 5,
  interrupted: 130,
  unexpected: 70,
};
