/**
 * mingo's `$dateToString` and `$let`, with the local dates of local-date.ts where they apply: a
 * day or a month in a time zone, and the Monday of a local day as src/store/local-week.ts writes
 * it. The general pipeline path evaluates these per document, and mingo's own are slow: it finds
 * a zone's offset with two `toLocaleString` calls per value (44 of the 60 s of a grammar analytics
 * by day in Asia/Kolkata over 200,000 interactions), and the Monday of a day takes five operators.
 * Zones are taken where mingo reads them right: an `Area/City` name, or an offset of at most
 * 23:59 but for `-00:mm` and `-20:00`–`-23:59`, whose sign mingo loses. Any other zone, format or
 * value (null, not a date, before 1980 in a named zone) goes to mingo's own operator. Results are
 * mingo's, with one difference, which follows MongoDB: mingo reads a zone's offset back through
 * the process's own time zone, so within an hour of that zone's clock changes it is an hour off.
 */
import { createRequire } from "node:module";
import { parseMondayOfLocalDay } from "../local-week.js";
import type { Doc } from "../store.js";
import { type LocalDate, localDate, localWeek } from "./local-date.js";

export type ExpressionOperator = (obj: Doc, expr: unknown, options: unknown) => unknown;

const MINGO_ZONE = /^([A-Za-z_]+\/[A-Za-z_]+|\+([01]\d|2[0-3]):?([0-5]\d)?|-(0[1-9]|1\d):?([0-5]\d)?)$/;
/** Zones, formats and week expressions in use are few; past this many, a cache starts over. */
const MAX_CACHED = 64;

function evaluator(): ExpressionOperator {
  return (createRequire(import.meta.url)("mingo/core") as { evalExpr: ExpressionOperator }).evalExpr;
}

/** One LocalDate per format (or week) and zone that mingo accepts; undefined for the others. */
function localDates(): (format: string, timezone: string | undefined, week?: boolean) => LocalDate | undefined {
  const cache = new Map<string, LocalDate | undefined>();
  return (format, timezone, week = false) => {
    const key = `${week ? "week" : format}\u0000${timezone ?? ""}`;
    if (cache.has(key)) return cache.get(key);
    if (cache.size >= MAX_CACHED) cache.clear();
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
  // Keyed by the expression's text: a caller may change a pipeline object between two runs.
  const weeks = new Map<string, { dateField: string; week: LocalDate } | null>();
  const planOf = (expr: unknown): { dateField: string; week: LocalDate } | null => {
    let text: string;
    try {
      text = JSON.stringify(expr);
    } catch {
      return null;
    }
    let plan = weeks.get(text);
    if (plan === undefined) {
      const parsed = parseMondayOfLocalDay({ $let: expr });
      const week = parsed && local("%Y-%m-%d", parsed.timezone, true);
      plan = parsed && week ? { dateField: parsed.dateField, week } : null;
      if (weeks.size >= MAX_CACHED) weeks.clear();
      weeks.set(text, plan);
    }
    return plan;
  };
  return (obj, expr, options) => {
    const plan = typeof expr === "object" && expr !== null ? planOf(expr) : null;
    if (plan) {
      const date = evalExpr(obj, `$${plan.dateField}`, options);
      const text = date instanceof Date ? plan.week.text(date) : undefined;
      if (text !== undefined) return text;
    }
    return original(obj, expr, options);
  };
}
