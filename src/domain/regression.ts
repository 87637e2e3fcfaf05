/**
 * Comparing two model versions metric by metric, for a CI gate.
 *
 * @example
 * compareMetrics({ f1: 0.8, loss: 0.3 }, { f1: 0.77, loss: 0.31 }, { threshold: parseThreshold("2%"), lowerIsBetter: ["loss"] })
 * // f1 regressed by 3.75% (past 2%), loss by 3.3% (lower is better): both regress
 */
import { InvalidInputError } from "../errors.js";

export type Threshold = { kind: "absolute"; value: number } | { kind: "relative"; value: number };

const THRESHOLD_FORMS = "a relative change like 2% (of the base value), or an absolute change below 1 like 0.02 (abs:2 for an absolute change of 1 or more)";

/**
 * "2%" is a relative change; "0.02" and "abs:2" are absolute ones. A bare number of 1 or more is
 * refused: for metrics between 0 and 1, "2" most likely meant 2%, and an absolute 2 would let
 * every regression pass.
 */
export function parseThreshold(text: string): Threshold {
  const trimmed = text.trim();
  const explicit = /^abs:\s*(\d+(?:\.\d+)?)$/i.exec(trimmed);
  if (explicit) return { kind: "absolute", value: Number(explicit[1]) };
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(%?)$/.exec(trimmed);
  if (!match) throw new InvalidInputError(`--fail-on-regression takes ${THRESHOLD_FORMS}; got "${text}"`);
  const value = Number(match[1]);
  if (match[2]) return { kind: "relative", value: value / 100 };
  if (value >= 1) throw new InvalidInputError(`--fail-on-regression ${trimmed} is ambiguous: write ${trimmed}% for a relative change, or abs:${trimmed} for an absolute one`);
  return { kind: "absolute", value };
}

export interface MetricComparison {
  metric: string;
  base: number | null;
  candidate: number | null;
  delta: number | null;
  relative_change: number | null;
  lower_is_better: boolean;
  regressed: boolean;
}

/**
 * One row per metric either version has. A change exactly at the threshold is not a regression:
 * only a worsening past it is.
 */
export function compareMetrics(
  base: Record<string, number>,
  candidate: Record<string, number>,
  options: { threshold?: Threshold; lowerIsBetter?: string[] },
): MetricComparison[] {
  const names = [...new Set([...Object.keys(base), ...Object.keys(candidate)])].sort();
  const threshold = options.threshold ?? { kind: "absolute", value: 0 };
  return names.map((metric) => {
    const b = base[metric] ?? null;
    const c = candidate[metric] ?? null;
    const lower = options.lowerIsBetter?.includes(metric) ?? false;
    if (b === null || c === null) return { metric, base: b, candidate: c, delta: null, relative_change: null, lower_is_better: lower, regressed: false };
    const delta = c - b;
    const relative = b === 0 ? null : delta / Math.abs(b);
    // How much worse the candidate is, in the direction that counts for this metric.
    const worse = lower ? delta : -delta;
    const worseRelative = b === 0 ? (worse > 0 ? Infinity : 0) : worse / Math.abs(b);
    const amount = threshold.kind === "absolute" ? worse : worseRelative;
    return { metric, base: b, candidate: c, delta: round(delta), relative_change: relative === null ? null : round(relative), lower_is_better: lower, regressed: amount > threshold.value + 1e-12 };
  });
}

/** Metrics the base version has and the candidate lacks: a gate cannot vouch for them. */
export function missingMetrics(comparisons: MetricComparison[]): string[] {
  return comparisons.filter((m) => m.base !== null && m.candidate === null).map((m) => m.metric);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
