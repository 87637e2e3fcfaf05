import { describe, expect, it } from "vitest";
import { compareMetrics, parseThreshold } from "../../src/domain/regression.js";

const regressed = (base: Record<string, number>, candidate: Record<string, number>, threshold?: string, lowerIsBetter?: string[]) =>
  Object.fromEntries(compareMetrics(base, candidate, { threshold: threshold === undefined ? undefined : parseThreshold(threshold), lowerIsBetter }).map((m) => [m.metric, m.regressed]));

describe("regression gate", () => {
  it("never fails two identical versions, whatever the threshold", () => {
    const metrics = { bleu: 0.44, f1: 0.8, loss: 0.31, zero: 0 };
    for (const threshold of [undefined, "0", "0%", "0.02", "5%"]) {
      expect(regressed(metrics, { ...metrics }, threshold, ["loss"])).toEqual({ bleu: false, f1: false, loss: false, zero: false });
    }
  });

  it("fails only past the threshold: a change exactly at it passes, one just beyond fails", () => {
    // absolute 0.02: f1 0.8 → 0.78 is exactly 0.02 worse; loss (lower is better) 0.3 → 0.32 as well.
    expect(regressed({ f1: 0.8, loss: 0.3 }, { f1: 0.78, loss: 0.32 }, "0.02", ["loss"])).toEqual({ f1: false, loss: false });
    expect(regressed({ f1: 0.8, loss: 0.3 }, { f1: 0.7799, loss: 0.3201 }, "0.02", ["loss"])).toEqual({ f1: true, loss: true });
    // relative 5%: 0.8 → 0.76 is exactly 5% worse.
    expect(regressed({ f1: 0.8 }, { f1: 0.76 }, "5%")).toEqual({ f1: false });
    expect(regressed({ f1: 0.8 }, { f1: 0.7599 }, "5%")).toEqual({ f1: true });
  });

  it("without a threshold, any worsening fails and any improvement passes, in the metric's direction", () => {
    expect(regressed({ f1: 0.8, loss: 0.3 }, { f1: 0.7999, loss: 0.3001 }, undefined, ["loss"])).toEqual({ f1: true, loss: true });
    expect(regressed({ f1: 0.8, loss: 0.3 }, { f1: 0.8001, loss: 0.2999 }, undefined, ["loss"])).toEqual({ f1: false, loss: false });
  });

  it("reports deltas and relative changes, and metrics on one side only as not comparable", () => {
    const [f1, only] = compareMetrics({ f1: 0.8, old: 1 }, { f1: 0.7, new: 2 }, {}).filter((m) => m.metric === "f1" || m.metric === "old");
    expect(f1).toMatchObject({ base: 0.8, candidate: 0.7, delta: -0.1, relative_change: -0.125, lower_is_better: false, regressed: true });
    expect(only).toMatchObject({ metric: "old", base: 1, candidate: null, delta: null, relative_change: null, regressed: false });
  });

  it("treats any worsening from a zero base as past a relative threshold", () => {
    expect(regressed({ errors: 0 }, { errors: 1 }, "50%", ["errors"])).toEqual({ errors: true });
    expect(regressed({ gain: 0 }, { gain: 1 }, "50%")).toEqual({ gain: false });
  });

  it("reads absolute and relative thresholds, and refuses anything else with the expected forms", () => {
    expect(parseThreshold(" 0.02 ")).toEqual({ kind: "absolute", value: 0.02 });
    expect(parseThreshold("5%")).toEqual({ kind: "relative", value: 0.05 });
    expect(parseThreshold("2.5 %")).toEqual({ kind: "relative", value: 0.025 });
    for (const bad of ["", "-1", "5%%", "abc", "1e-2", "0.02x"]) {
      expect(() => parseThreshold(bad)).toThrow(
        `--fail-on-regression takes a relative change like 2% (of the base value), or an absolute change below 1 like 0.02 (abs:2 for an absolute change of 1 or more); got "${bad}"`,
      );
    }
  });
});
