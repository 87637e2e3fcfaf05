/**
 * `lexi analytics`: a table, and a chart for time groupings. The service's numbers are full
 * precision (`--json` prints them so); the table rounds them for reading.
 */
import { AnalyticsInput, type AnalyticsResult } from "../../schema/analytics.js";
import { analytics as analyze } from "../../services/analytics.js";
import { DATE_HELP } from "../input.js";
import { lineChart } from "../output/chart.js";
import { formatNumber } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";

const CHARTED: Record<AnalyticsResult["metric"], string[]> = {
  fluency: ["avg"],
  grammar: ["errors_per_interaction", "share_with_errors"],
  vocabulary: [],
  engagement: ["interactions"],
};

export function renderAnalytics(result: AnalyticsResult): string {
  if (result.data.length === 0) return `No interactions match: nothing to show for ${result.metric}.`;
  const columns = Object.keys(result.data[0]!);
  const table = renderTable(columns, result.data.map((row) => columns.map((c) => formatNumber(row[c]))));
  const summary = `summary: ${Object.entries(result.summary).map(([k, v]) => `${k} ${formatNumber(v)}`).join(" · ")}`;
  const timeGrouped = result.group_by && result.group_by !== "level";
  const chart = timeGrouped ? lineChart(CHARTED[result.metric].map((name) => ({ name, values: result.data.map((row) => row[name] as number) }))) : "";
  return [`${result.metric} by ${result.group_by ?? "all"} (${result.tz})`, table, summary, chart].filter(Boolean).join("\n");
}

export const analytics = defineCommand({
  input: AnalyticsInput,
  flags: [
    { flags: "--metric <metric>", description: "fluency, grammar, vocabulary or engagement", field: "metric", required: true },
    { flags: "--group-by <group>", description: "day, week (from Monday), month or level", field: "group_by" },
    { flags: "--user <id>", description: "only this learner", field: "user_id" },
    { flags: "--since <date>", description: `from this date or time: ${DATE_HELP}`, field: "start_date" },
    { flags: "--until <date>", description: `up to this date or time: ${DATE_HELP}`, field: "end_date" },
    { flags: "--tz <zone>", description: "time zone of the day/week/month groups", field: "tz" },
  ],
  run: ({ store, input }) => analyze(store, input),
  render: renderAnalytics,
});
