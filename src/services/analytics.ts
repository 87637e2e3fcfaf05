/**
 * Analytics over interactions, written once as MongoDB pipelines that start with a `$match` an
 * index can serve. Time groups are computed in the requested time zone; weeks start on Monday.
 * Numbers are full precision (MongoDB's `$avg`); only the CLI's tables and charts round.
 */
import type { ValidAnalytics } from "../schema/analytics.js";
import { AnalyticsInput, type AnalyticsResult } from "../schema/analytics.js";
import { CEFR_LEVELS } from "../schema/common.js";
import { COLLECTIONS } from "../store/collections.js";
import { mondayOfLocalDay } from "../store/local-week.js";
import type { Doc, Filter, Store } from "../store/store.js";
import { parseInput } from "./validate.js";

function matchStage(input: ValidAnalytics): Filter {
  const match: Filter = {};
  if (input.user_id) match.user_id = input.user_id;
  if (input.start_date || input.end_date) {
    match.timestamp = { ...(input.start_date ? { $gte: input.start_date } : {}), ...(input.end_date ? { $lte: input.end_date } : {}) };
  }
  return match;
}

/** The group key expression: a local day, the Monday of its week, a month, a level, or everything. */
export function groupKey(groupBy: ValidAnalytics["group_by"], tz: string): unknown {
  // UTC is the default of both engines (and mingo refuses the name "UTC").
  const timezone = /^(Etc\/)?(UTC|GMT)$/i.test(tz) ? undefined : tz;
  const zone = timezone === undefined ? {} : { timezone };
  const localDay = { $dateToString: { date: "$timestamp", format: "%Y-%m-%d", ...zone } };
  switch (groupBy) {
    case "day":
      return localDay;
    case "month":
      return { $dateToString: { date: "$timestamp", format: "%Y-%m", ...zone } };
    case "week":
      return mondayOfLocalDay("timestamp", timezone);
    case "level":
      return "$analysis.vocabulary_level";
    default:
      return "all";
  }
}

function pipelineFor(input: ValidAnalytics): Doc[] {
  const match = { $match: matchStage(input) };
  const key = groupKey(input.group_by, input.tz);
  switch (input.metric) {
    case "fluency":
      return [match, { $group: { _id: key, interactions: { $sum: 1 }, avg: { $avg: "$analysis.fluency_score" }, sum: { $sum: "$analysis.fluency_score" }, min: { $min: "$analysis.fluency_score" }, max: { $max: "$analysis.fluency_score" } } }];
    case "grammar": {
      const errors = { $size: { $ifNull: ["$analysis.grammar_errors", []] } };
      return [match, { $group: { _id: key, interactions: { $sum: 1 }, errors: { $sum: errors }, with_errors: { $sum: { $cond: [{ $gt: [errors, 0] }, 1, 0] } } } }];
    }
    case "vocabulary":
      return [match, { $group: { _id: { g: key, level: "$analysis.vocabulary_level" }, count: { $sum: 1 } } }];
    case "engagement":
      // Distinct learners and sessions are counted by grouping twice, so no group holds a list.
      return [
        match,
        { $group: { _id: { g: key, user: "$user_id", session: "$session_id" }, interactions: { $sum: 1 }, with_feedback: { $sum: { $cond: [{ $ifNull: ["$user_feedback", false] }, 1, 0] } } } },
        { $group: { _id: { g: "$_id.g", user: "$_id.user" }, interactions: { $sum: "$interactions" }, with_feedback: { $sum: "$with_feedback" }, sessions: { $sum: 1 } } },
        { $group: { _id: "$_id.g", interactions: { $sum: "$interactions" }, with_feedback: { $sum: "$with_feedback" }, sessions: { $sum: "$sessions" }, learners: { $sum: 1 } } },
      ];
  }
}

/**
 * @example
 * await analytics(store, { metric: "fluency", group_by: "week", tz: "Asia/Ho_Chi_Minh" });
 * // { metric: "fluency", data: [{ group: "2026-03-02", interactions: 41, avg: 0.62, min: 0.2, max: 0.95 }, …], summary: {…} }
 */
export async function analytics(store: Store, raw: AnalyticsInput): Promise<AnalyticsResult> {
  const input = parseInput(AnalyticsInput, raw, "analytics query");
  const rows = await store.collection(COLLECTIONS.interactions).aggregate(pipelineFor(input)).toArray();
  const data = shape(input, rows).sort((a, b) => compareGroups(a.group, b.group, input.group_by));
  const summary = summarize(input, data, rows);
  if (input.metric === "engagement" && data.length) {
    const [learners] = await store.collection(COLLECTIONS.interactions).aggregate([{ $match: matchStage(input) }, { $group: { _id: "$user_id" } }, { $count: "n" }]).toArray();
    summary.learners = (learners?.n as number | undefined) ?? 0;
  }
  return { metric: input.metric, group_by: input.group_by ?? null, tz: input.tz, data, summary };
}

function compareGroups(a: string, b: string, groupBy: ValidAnalytics["group_by"]): number {
  if (groupBy === "level") return (CEFR_LEVELS as readonly string[]).indexOf(a) - (CEFR_LEVELS as readonly string[]).indexOf(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

type Row = Record<string, unknown> & { group: string };

function shape(input: ValidAnalytics, rows: Doc[]): Row[] {
  switch (input.metric) {
    case "fluency":
      return rows.map((r) => ({ group: String(r._id), interactions: r.interactions as number, avg: r.avg as number, min: r.min as number, max: r.max as number }));
    case "grammar":
      return rows.map((r) => ({
        group: String(r._id),
        interactions: r.interactions as number,
        errors: r.errors as number,
        with_errors: r.with_errors as number,
        errors_per_interaction: (r.errors as number) / (r.interactions as number),
        share_with_errors: (r.with_errors as number) / (r.interactions as number),
      }));
    case "vocabulary": {
      const groups = new Map<string, Row>();
      for (const r of rows) {
        const id = r._id as { g: unknown; level: string };
        const group = groups.get(String(id.g)) ?? { group: String(id.g), interactions: 0, ...Object.fromEntries(CEFR_LEVELS.map((l) => [l, 0])) };
        group[id.level] = (group[id.level] as number) + (r.count as number);
        group.interactions = (group.interactions as number) + (r.count as number);
        groups.set(String(id.g), group);
      }
      return [...groups.values()];
    }
    case "engagement":
      return rows.map((r) => ({
        group: String(r._id),
        interactions: r.interactions as number,
        learners: r.learners as number,
        sessions: r.sessions as number,
        feedback_rate: (r.with_feedback as number) / (r.interactions as number),
      }));
  }
}

/** Totals over every group; the fluency average is the sum of all scores over their count. */
function summarize(input: ValidAnalytics, data: Row[], rows: Doc[]): Record<string, unknown> {
  const interactions = data.reduce((sum, row) => sum + (row.interactions as number), 0);
  const base = { groups: data.length, interactions };
  if (interactions === 0) return base;
  switch (input.metric) {
    case "fluency":
      return {
        ...base,
        avg: rows.reduce((sum, row) => sum + (row.sum as number), 0) / interactions,
        min: Math.min(...data.map((row) => row.min as number)),
        max: Math.max(...data.map((row) => row.max as number)),
      };
    case "grammar": {
      const errors = data.reduce((sum, row) => sum + (row.errors as number), 0);
      const withErrors = data.reduce((sum, row) => sum + (row.with_errors as number), 0);
      return { ...base, errors, errors_per_interaction: errors / interactions, share_with_errors: withErrors / interactions };
    }
    case "vocabulary":
      return { ...base, ...Object.fromEntries(CEFR_LEVELS.map((level) => [level, data.reduce((sum, row) => sum + (row[level] as number), 0)])) };
    case "engagement":
      return { ...base, sessions: data.reduce((sum, row) => sum + (row.sessions as number), 0) };
  }
}
