/**
 * `POST /analytics` as the original answered: rows keyed `_id` (the group) with its value names
 * (`avg_score`, `total_errors`, `count`) and its summary names. lexi's extra columns stay as added
 * keys. Numbers are unrounded, as MongoDB's `$avg` was.
 */
import type { AnalyticsResult } from "../../schema/analytics.js";
import { CEFR_LEVELS } from "../../schema/common.js";

type Row = AnalyticsResult["data"][number];

function wireRow(metric: AnalyticsResult["metric"], row: Row): Record<string, unknown> {
  const { group, interactions, ...values } = row;
  switch (metric) {
    case "fluency": {
      const { avg, ...rest } = values;
      return { _id: group, avg_score: avg, count: interactions, ...rest };
    }
    case "grammar": {
      const { errors, ...rest } = values;
      return { _id: group, total_errors: errors, count: interactions, ...rest };
    }
    default:
      return { _id: group, count: interactions, ...values };
  }
}

const numbers = (rows: Row[], key: string) => rows.map((row) => row[key] as number);

/** The summary under the original's names; zeros when nothing matched. */
function wireSummary(result: AnalyticsResult): Record<string, unknown> {
  const summary = result.summary;
  const total = (summary.interactions as number | undefined) ?? 0;
  const groups = result.data.length;
  switch (result.metric) {
    case "fluency": {
      // The original's min and max are those of the groups' averages.
      const averages = numbers(result.data, "avg");
      return {
        overall_avg: total ? summary.avg : 0,
        min: groups ? Math.min(...averages) : 0,
        max: groups ? Math.max(...averages) : 0,
        total_interactions: total,
        groups,
        min_score: total ? summary.min : 0,
        max_score: total ? summary.max : 0,
      };
    }
    case "grammar":
      return {
        total_errors: total ? summary.errors : 0,
        total_interactions: total,
        avg_errors_per_interaction: total ? summary.errors_per_interaction : 0,
        share_with_errors: total ? summary.share_with_errors : 0,
        groups,
      };
    case "vocabulary":
      return { total_interactions: total, groups, ...Object.fromEntries(CEFR_LEVELS.map((level) => [level, (summary[level] as number | undefined) ?? 0])) };
    case "engagement":
      return { total_interactions: total, groups, sessions: (summary.sessions as number | undefined) ?? 0, learners: (summary.learners as number | undefined) ?? 0 };
  }
}

/**
 * @example
 * analyticsAnswer(result).data[0] // { _id: "2026-03-02", avg_score: 0.62, count: 41, min: 0.2, max: 0.95 }
 */
export function analyticsAnswer(result: AnalyticsResult): Record<string, unknown> {
  return {
    metric: result.metric,
    data: result.data.map((row) => wireRow(result.metric, row)),
    summary: wireSummary(result),
    group_by: result.group_by,
    tz: result.tz,
  };
}
