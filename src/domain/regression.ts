/**
 * Comparing two model versions metric by metric, for a CI gate.
 *
 * @example
 * compareMetrics({ f1: 0.8, loss: 0.3 }, { f1: 0.77, loss: 0.31 }, { threshold: parseThreshold("2%"), lowerIsBetter: ["loss"] })
 * // f1 regressed by 3.75% (past 2%), loss by 3.3% (lower is better): both regress
 */
import { InvalidInputError } from "../errors.js";

export type Threshold = { kind: "absolute"; value: number } | { kind: "relative"; value: number };

/** "0.02" is an absolute change, "5%" a relative one. */
export function parseThreshold(text: string): Threshold {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match) throw new InvalidInputError(`--fail-on-regression takes an absolute change like 0.02 or a relative one like 5%; got "${text}"`);
  const value = Number(match[1]);
  return match[2] ? { kind: "relative", value: value / 100 } : { kind: "absolute", value };
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

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
