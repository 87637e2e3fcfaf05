/**
 * The dates people type for --since and --until: ISO dates and times, `today`, `yesterday`, or
 * an age such as `7d`.
 *
 * @example
 * parseDateExpression("7d", new Date("2026-03-08T12:00:00Z"));        // "2026-03-01T12:00:00.000Z"
 * parseDateExpression("yesterday", new Date("2026-03-08T12:00:00Z")); // "2026-03-07T00:00:00.000Z"
 * parseDateExpression("2026-03-01");                                  // "2026-03-01" (as given)
 */
import { InvalidInputError } from "../errors.js";

export const DATE_FORMS = "an ISO date (2026-03-01), a date and time with its zone (2026-03-01T08:00:00Z), now, today, yesterday (UTC days), or an age such as 30m, 12h, 7d or 2w";

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DAY_MS = UNIT_MS.d!;

/** ISO forms go on unchanged (the schemas read them); the others become an ISO time. */
export function parseDateExpression(text: string, now = new Date(), flag = "a date"): string {
  const value = text.trim().toLowerCase();
  if (/^\d{4}-\d{2}-\d{2}([t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2}))?$/.test(value)) return text.trim();
  const startOfToday = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  if (value === "now") return now.toISOString();
  if (value === "today") return new Date(startOfToday).toISOString();
  if (value === "yesterday") return new Date(startOfToday - DAY_MS).toISOString();
  const age = /^(\d+)\s*([mhdw])(\s*ago)?$/.exec(value);
  if (age) return new Date(now.getTime() - Number(age[1]) * UNIT_MS[age[2]!]!).toISOString();
  throw new InvalidInputError(`${flag} takes ${DATE_FORMS}; got "${text}"`);
}
