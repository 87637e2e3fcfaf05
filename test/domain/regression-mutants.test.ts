/**
 * The CI gate's threshold forms and comparison rows at their edges: `abs:` thresholds, bare
 * numbers around 1, metrics in name order, zero and missing bases, and the metrics a candidate
 * lacks.
 */
import { describe, expect, it } from "vitest";
import { compareMetrics, missingMetrics, parseThreshold } from "../../src/domain/regression.js";

const FORMS = "--fail-on-regression takes a relative change like 2% (of the base value), or an absolute change below 1 like 0.02 (abs:2 for an absolute change of 1 or more)";

describe("threshold forms", () => {
  it("reads abs: thresholds of any size, in any case, with or without decimals or a space", () => {
    expect(parseThreshold("abs:2")).toEqual({ kind: "absolute", value: 2 });
    expect(parseThreshold(" ABS: 12.75 ")).toEqual({ kind: "absolute", value: 12.75 });
    expect(parseThreshold("abs:0.5")).toEqual({ kind: "absolute", value: 0.5 });
  });

  it("refuses abs: with anything around or after the number", () => {
    for (const bad of ["abs:", "abs:x", "xabs:2", "abs:2x", "abs:2.", "abs:-1", "abs:2%"]) expect(() => parseThreshold(bad)).toThrow(`${FORMS}; got "${bad}"`);
  });

  it("reads a leading-dot number and several digits after the dot", () => {
    expect(parseThreshold(".05")).toEqual({ kind: "absolute", value: 0.05 });
    expect(parseThreshold(".25%")).toEqual({ kind: "relative", value: 0.0025 });
    expect(() => parseThreshold(".x")).toThrow(FORMS);
  });

  it("calls a bare number of 1 or more ambiguous, naming both ways to write it", () => {
    for (const text of ["1", "2", "1.5"]) {
      expect(() => parseThreshold(text)).toThrow(`--fail-on-regression ${text} is ambiguous: write ${text}% for a relative change, or abs:${text} for an absolute one`);
    }
    expect(parseThreshold("0.999")).toEqual({ kind: "absolute", value: 0.999 });
    expect(parseThreshold("100%")).toEqual({ kind: "relative", value: 1 });
  });
});

describe("comparison rows", () => {
  it("lists metrics in name order, whichever version has them", () => {
    expect(compareMetrics({ zeta: 1, alpha: 1 }, { mid: 1, alpha: 1 }, {}).map((m) => m.metric)).toEqual(["alpha", "mid", "zeta"]);
  });

  it("compares against a zero base without a relative change, and without a threshold uses none", () => {
    expect(compareMetrics({ errors: 0 }, { errors: 0.5 }, { lowerIsBetter: ["errors"] })).toEqual([
      { metric: "errors", base: 0, candidate: 0.5, delta: 0.5, relative_change: null, lower_is_better: true, regressed: true },
    ]);
    expect(compareMetrics({ f1: 0 }, { f1: -0.5 }, { threshold: { kind: "absolute", value: 0.4 } })[0]).toMatchObject({ delta: -0.5, relative_change: null, regressed: true });
    expect(compareMetrics({ f1: 0 }, { f1: 0 }, { threshold: { kind: "relative", value: 0 } })[0]).toMatchObject({ relative_change: null, regressed: false });
  });

  it("reports a relative change against the base's magnitude, rounded to six decimals", () => {
    expect(compareMetrics({ f1: 0.3 }, { f1: 0.2 }, {})[0]).toMatchObject({ delta: -0.1, relative_change: -0.333333 });
    expect(compareMetrics({ margin: -2 }, { margin: -1 }, {})[0]).toMatchObject({ delta: 1, relative_change: 0.5, regressed: false });
  });

  it("does not compare a metric the base lacks, and names the ones the candidate lacks", () => {
    const rows = compareMetrics({ kept: 0.5, dropped: 0.9 }, { kept: 0.5, added: 0.1 }, { threshold: { kind: "absolute", value: 0 } });
    expect(rows.find((m) => m.metric === "added")).toEqual({ metric: "added", base: null, candidate: 0.1, delta: null, relative_change: null, lower_is_better: false, regressed: false });
    expect(missingMetrics(rows)).toEqual(["dropped"]);
    expect(missingMetrics(compareMetrics({ a: 1 }, { a: 1 }, {}))).toEqual([]);
  });
});
