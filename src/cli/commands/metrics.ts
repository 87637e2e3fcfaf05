/**
 * `lexi metrics log|history|compare`.
 */
import { LexiError, InvalidInputError } from "../../errors.js";
import { parseThreshold, type Threshold } from "../../domain/regression.js";
import type { MetricsDoc } from "../../schema/metrics.js";
import { compareVersions, logMetrics, metricsHistory, type VersionComparison } from "../../services/metrics.js";
import type { Store } from "../../store/store.js";
import { formatDate } from "../output/format.js";
import { renderTable } from "../output/table.js";

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

function parseMeta(pairs: string[] = []): Record<string, string | number> {
  const meta: Record<string, string | number> = {};
  for (const pair of pairs) {
    const index = pair.indexOf("=");
    if (index <= 0) throw new InvalidInputError(`--meta takes key=value; got "${pair}"`);
    const value = pair.slice(index + 1);
    meta[pair.slice(0, index)] = value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return meta;
}

export function logCommand(store: Store, pairs: string[], options: { model: string; version: string; meta?: string[]; export?: string }) {
  return logMetrics(store, { model_name: options.model, version: options.version, metrics: parseMetricPairs(pairs), metadata: parseMeta(options.meta), export_id: options.export });
}

export function renderLogged(result: { metric_id: string }): string {
  return `Logged metrics ${result.metric_id}`;
}

export function historyCommand(store: Store, model: string, options: { limit?: number }): Promise<MetricsDoc[]> {
  return metricsHistory(store, model, options.limit);
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
  constructor(readonly comparison: VersionComparison) {
    super("regression", `${comparison.candidate_version} regresses against ${comparison.base_version} on ${comparison.regressed.join(", ")}`);
  }
}

export async function compareCommand(
  store: Store,
  model: string,
  base: string,
  candidate: string,
  options: { failOnRegression?: string; lowerIsBetter?: string },
): Promise<VersionComparison> {
  const threshold: Threshold | undefined = options.failOnRegression ? parseThreshold(options.failOnRegression) : undefined;
  const lowerIsBetter = options.lowerIsBetter?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  return compareVersions(store, model, base, candidate, { threshold, lowerIsBetter });
}

const signed = (value: number | null, percent = false) => (value === null ? "—" : `${value > 0 ? "+" : ""}${percent ? (value * 100).toFixed(2) + "%" : value}`);

export function renderComparison(result: VersionComparison): string {
  const table = renderTable(
    ["metric", result.base_version, result.candidate_version, "delta", "change", ""],
    result.metrics.map((m) => [m.metric + (m.lower_is_better ? " (↓ better)" : ""), m.base ?? "—", m.candidate ?? "—", signed(m.delta), signed(m.relative_change, true), m.regressed ? "REGRESSED" : ""]),
  );
  const verdict = result.regressed.length ? `Regression on ${result.regressed.join(", ")}.` : "No regression past the threshold.";
  return `${result.model_name}: ${result.base_version} → ${result.candidate_version}\n${table}\n${verdict}`;
}
