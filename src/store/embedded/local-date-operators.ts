/**
 * mingo's `$dateToString` and `$let`, with the local dates of local-date.ts where they apply: a
 * day or a month in a time zone, and the Monday of a local day as src/store/local-week.ts writes
 * it. The general pipeline path evaluates these per document, and mingo's own are slow: it finds
 * a zone's offset with two `toLocaleString` calls per value (44 of the 60 s of a grammar analytics
 * by day in Asia/Kolkata over 200,000 interactions), and the Monday of a day takes five operators.
 * Zones are taken as mingo takes them (an `Area/City` name or an offset of at most 23:59); any
 * other zone, format or value (null, not a date, before 1980 in a named zone) goes to mingo's own
 * operator, so results are mingo's.
 */
import { createRequire } from "node:module";
import { parseMondayOfLocalDay } from "../local-week.js";
import type { Doc } from "../store.js";
import { type LocalDate, localDate, localWeek } from "./local-date.js";

export type ExpressionOperator = (obj: Doc, expr: unknown, options: unknown) => unknown;

const MINGO_ZONE = /^([A-Za-z_]+\/[A-Za-z_]+|[+-]([01]\d|2[0-3]):?([0-5]\d)?)$/;
/** Zones and formats in use are few; past this many, the cache starts over. */
const MAX_ZONES = 64;

function evaluator(): ExpressionOperator {
  return (createRequire(import.meta.url)("mingo/core") as { evalExpr: ExpressionOperator }).evalExpr;
}

/** One LocalDate per format (or week) and zone that mingo accepts; undefined for the others. */
function localDates(): (format: string, timezone: string | undefined, week?: boolean) => LocalDate | undefined {
  const cache = new Map<string, LocalDate | undefined>();
  return (format, timezone, week = false) => {
    const key = `${week ? "week" : format}\u0000${timezone ?? ""}`;
    if (cache.has(key)) return cache.get(key);
    if (cache.size >= MAX_ZONES) cache.clear();
    const accepted = timezone === undefined || MINGO_ZONE.test(timezone);
    const local = !accepted ? undefined : week ? localWeek(timezone) : localDate(format, timezone);
    cache.set(key, local);
    return local;
  };
}

export function localDateToString(original: ExpressionOperator): ExpressionOperator {
  const evalExpr = evaluator();
  const local = localDates();
  return (obj, expr, options) => {
    const args = evalExpr(obj, expr, options) as { date?: unknown; format?: unknown; timezone?: unknown };
    // Without a zone, mingo's own is already quick.
    if (args.date instanceof Date && typeof args.format === "string" && typeof args.timezone === "string") {
      const text = local(args.format, args.timezone)?.text(args.date);
      if (text !== undefined) return text;
    }
    return original(obj, expr, options);
  };
}

export function localWeekLet(original: ExpressionOperator): ExpressionOperator {
  const evalExpr = evaluator();
  const local = localDates();
  // The same expression object comes back for every document: it is recognized once.
  const weeks = new WeakMap<object, { dateField: string; week: LocalDate } | null>();
  return (obj, expr, options) => {
    if (typeof expr === "object" && expr !== null) {
      let plan = weeks.get(expr);
      if (plan === undefined) {
        const parsed = parseMondayOfLocalDay({ $let: expr });
        const week = parsed && local("%Y-%m-%d", parsed.timezone, true);
        plan = parsed && week ? { dateField: parsed.dateField, week } : null;
        weeks.set(expr, plan);
      }
      if (plan) {
        const date = evalExpr(obj, `$${plan.dateField}`, options);
        const text = date instanceof Date ? plan.week.text(date) : undefined;
        if (text !== undefined) return text;
      }
    }
    return original(obj, expr, options);
  };
}
