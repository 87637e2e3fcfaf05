/**
 * The Monday of a local day (ISO weeks start on Monday), as a `%Y-%m-%d` text, in MongoDB's query
 * language: the local day's text read back as a UTC midnight, then moved back to its Monday. It
 * needs no time-zone arithmetic after the local day, so every engine evaluates it alike (mingo's
 * `$dateTrunc` truncates weeks in UTC whatever its `timezone`). Analytics groups weeks by it, and
 * the embedded engine recognizes it (parseMondayOfLocalDay) to group by its local dates directly,
 * without evaluating it per document.
 *
 * @example
 * mondayOfLocalDay("timestamp", "Asia/Kolkata") // 2026-11-29T20:00Z (Monday 01:30 there) → "2026-11-30"
 */
import type { Doc } from "./store.js";

/** `timezone`: an IANA zone or an offset; none for UTC. */
export function mondayOfLocalDay(dateField: string, timezone?: string): Doc {
  const localDay = { $dateToString: { date: `$${dateField}`, format: "%Y-%m-%d", ...(timezone === undefined ? {} : { timezone }) } };
  return {
    $let: {
      vars: { day: { $dateFromString: { dateString: localDay } } },
      in: { $dateToString: { format: "%Y-%m-%d", date: { $subtract: ["$$day", { $multiply: [{ $subtract: [{ $isoDayOfWeek: "$$day" }, 1] }, 86_400_000] }] } } },
    },
  };
}

/** The field and zone of an expression mondayOfLocalDay wrote; undefined for any other expression. */
export function parseMondayOfLocalDay(expression: unknown): { dateField: string; timezone?: string } | undefined {
  const inner = (expression as { $let?: { vars?: { day?: { $dateFromString?: { dateString?: { $dateToString?: Doc } } } } } } | null)?.$let?.vars?.day?.$dateFromString?.dateString?.$dateToString;
  const { date, timezone } = inner ?? {};
  if (typeof date !== "string" || !date.startsWith("$") || date.startsWith("$$") || (timezone !== undefined && typeof timezone !== "string")) return undefined;
  const parsed = { dateField: date.slice(1), ...(timezone === undefined ? {} : { timezone }) };
  // Anything else in the expression (another operator, format or field) makes it another one.
  return JSON.stringify(mondayOfLocalDay(parsed.dateField, parsed.timezone)) === JSON.stringify(expression) ? parsed : undefined;
}
