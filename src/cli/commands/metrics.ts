/**
 * `lexi metrics log|history|compare` (`metrics import` lives in metrics-import.ts, so these
 * commands never load the import pipeline).
 */
import { LexiError, InvalidInputError } from "../../errors.js";
import { parseThreshold, type Threshold } from "../../domain/regression.js";
import { MetricsHistoryInput, MetricsInput, type MetricsDoc } from "../../schema/metrics.js";
import { compareVersions, gateFailures, loggedEntries, logMetrics, metricsHistory, type VersionComparison } from "../../services/metrics.js";
import type { Store } from "../../store/store.js";
import { collect } from "../input.js";
import { formatDate } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { warn } from "../output/warn.js";
import { defineCommand } from "../spec.js";

/** `name=value` pairs; a value that is not a number is refused here, naming the pair. */
export function parseMetricPairs(pairs: string[]): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const pair of pairs) {
    const [name, value, ...rest] = pair.split("=");
    const number = Number(value);
    if (!name || value === undefined || rest.length || value.trim() === "" || !Number.isFinite(number)) {
      throw new InvalidInputError(`metrics are name=number pairs; "${pair}" is not (e.g. lexi metrics log --model m --version v1 accuracy=0.91)`);
    }
    metrics[name] = number;
  }
  return metrics;
}

/** One `--meta key=value`, added to the earlier ones; a numeric value is kept as a number. */
function parseMeta(pair: string, previous: unknown): Record<string, string | number> {
  const index = pair.indexOf("=");
  if (index <= 0) throw new InvalidInputError(`--meta takes key=value; got "${pair}"`);
  const value = pair.slice(index + 1);
  return { ...(previous as Record<string, string | number> | undefined), [pair.slice(0, index)]: value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value };
}

/** Comma-separated names, repeatable: `--lower-is-better loss,wer --lower-is-better cer`. */
export function parseNames(values: string | string[] | undefined): string[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return [...new Set(list.flatMap((value) => value.split(",")).map((name) => name.trim()).filter(Boolean))];
}

export interface LoggedMetrics {
  metric_id: string;
  /** Entries of this model and version logged before this one (deleted with --replace). */
  earlier_entries: number;
  replaced: boolean;
}

/** Said on stderr when a version is logged twice without --replace: compare reads only the latest entry. */
export function duplicateWarning(result: LoggedMetrics, options: { model: string; version: string }): string | undefined {
  if (result.earlier_entries === 0 || result.replaced) return undefined;
  return `${options.model} ${options.version} was already logged (${result.earlier_entries} earlier ${result.earlier_entries === 1 ? "entry" : "entries"}); compare reads the latest. Pass --replace to keep only this one.`;
}

export function renderLogged(result: LoggedMetrics): string {
  return result.replaced ? `Logged metrics ${result.metric_id}, replacing ${result.earlier_entries} earlier ${result.earlier_entries === 1 ? "entry" : "entries"}` : `Logged metrics ${result.metric_id}`;
}

export function renderMetricsHistory(items: MetricsDoc[]): string {
  if (items.length === 0) return "No metrics logged for this model.";
  const names = [...new Set(items.flatMap((item) => Object.keys(item.metrics)))].sort();
  return renderTable(
    ["version", "logged", ...names, "export"],
    items.map((item) => [item.version, formatDate(item.timestamp), ...names.map((n) => (item.metrics[n] === undefined ? "—" : String(item.metrics[n]))), item.export_id ?? ""]),
  );
}

/** The gate failed: the comparison is printed, then the CLI exits 1. */
export class RegressionError extends LexiError {
  constructor(
    readonly comparison: VersionComparison,
    failures: string[],
  ) {
    super("regression", `${comparison.candidate_version} regresses against ${comparison.base_version} on ${failures.join(", ")}`);
  }
}

export async function compareCommand(store: Store, [model, base, candidate]: string[], options: { failOnRegression?: string; lowerIsBetter?: string | string[] }): Promise<VersionComparison> {
  const threshold: Threshold | undefined = options.failOnRegression ? parseThreshold(options.failOnRegression) : undefined;
  return compareVersions(store, model!, base!, candidate!, { threshold, lowerIsBetter: parseNames(options.lowerIsBetter) });
}

/** With --fail-on-regression: the gate's failures (regressions, and missing metrics unless allowed). */
export function checkGate(result: VersionComparison, options: { failOnRegression?: string; allowMissing?: boolean }): void {
  if (!options.failOnRegression) return;
  const failures = gateFailures(result, { allowMissing: options.allowMissing });
  if (failures.length) throw new RegressionError(result, failures);
}

const signed = (value: number | null, percent = false) => (value === null ? "—" : `${value > 0 ? "+" : ""}${percent ? (value * 100).toFixed(2) + "%" : value}`);

export function renderComparison(result: VersionComparison): string {
  const table = renderTable(
    ["metric", result.base_version, result.candidate_version, "delta", "change", ""],
    result.metrics.map((m) => [
      m.metric + (m.lower_is_better ? " (↓ better)" : ""),
      m.base ?? "—",
      m.candidate ?? "—",
      signed(m.delta),
      signed(m.relative_change, true),
      m.regressed ? "REGRESSED" : result.missing.includes(m.metric) ? "MISSING" : "",
    ]),
  );
  const verdicts = [
    result.regressed.length ? `Regression on ${result.regressed.join(", ")}.` : "No regression past the threshold.",
    ...(result.missing.length ? [`${result.candidate_version} lacks ${result.missing.join(", ")}, which ${result.base_version} has.`] : []),
  ];
  return `${result.model_name}: ${result.base_version} → ${result.candidate_version}\n${table}\n${verdicts.join("\n")}`;
}

export const log = defineCommand({
  input: MetricsInput,
  flags: [
    { flags: "--model <name>", description: "model name", field: "model_name", required: true },
    { flags: "--version <v>", description: "model version", field: "version", required: true },
    { flags: "--meta <key=value>", description: "metadata (repeatable)", field: "metadata", parse: parseMeta },
    { flags: "--export <export-id>", description: "the export this version was trained on", field: "export_id" },
    { flags: "--lower-is-better <names>", description: "metrics where lower is better (comma-separated, repeatable); compare uses this direction", field: "lower_is_better", parse: collect },
    { flags: "--replace", description: "replace the entries already logged for this model and version" },
  ],
  run: async ({ store, input, args, options }): Promise<LoggedMetrics> => {
    const model = input.model_name;
    const version = input.version;
    const lowerIsBetter = parseNames(input.lower_is_better);
    const earlier = await loggedEntries(store, model, version);
    const replace = Boolean(options.replace);
    const { metric_id } = await logMetrics(store, { ...input, metrics: parseMetricPairs(args), lower_is_better: lowerIsBetter.length ? lowerIsBetter : undefined }, { replace });
    const result = { metric_id, earlier_entries: earlier, replaced: replace && earlier > 0 };
    warn(duplicateWarning(result, { model, version }));
    return result;
  },
  render: renderLogged,
});

export const history = defineCommand({
  input: MetricsHistoryInput,
  args: { model: "model_name" },
  flags: [{ flags: "--limit <n>", description: "at most this many", field: "limit" }],
  run: ({ store, input }) => metricsHistory(store, input),
  render: renderMetricsHistory,
});

export const compare = defineCommand({
  flags: [
    { flags: "--fail-on-regression <threshold>", description: "relative (2%) or absolute (0.02, abs:2) worsening that fails; a metric the candidate lacks fails too" },
    { flags: "--allow-missing", description: "let the gate pass when the candidate lacks metrics the base has" },
    { flags: "--lower-is-better <names>", description: "metrics where lower is better (comma-separated, repeatable), on top of those stored by metrics log", parse: collect },
  ],
  run: ({ store, args, options }) => compareCommand(store, args, options),
  render: renderComparison,
  verdict: (result, options) => checkGate(result, options),
});
