/**
 * `lexi analytics`: a table, and a chart for time groupings. The service's numbers are full
 * precision (`--json` prints them so); the table rounds them for reading.
 */
import type { AnalyticsResult } from "../../schema/analytics.js";
import { analytics } from "../../services/analytics.js";
import type { Store } from "../../store/store.js";
import { lineChart } from "../output/chart.js";
import { formatNumber } from "../output/format.js";
import { renderTable } from "../output/table.js";

export function analyticsCommand(store: Store, options: { metric: string; groupBy?: string; user?: string; since?: string; until?: string; tz?: string }): Promise<AnalyticsResult> {
  return analytics(store, { metric: options.metric as never, group_by: options.groupBy as never, user_id: options.user, start_date: options.since, end_date: options.until, tz: options.tz });
}

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
