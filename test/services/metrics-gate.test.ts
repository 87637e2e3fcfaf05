import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compareMetrics, parseThreshold } from "../../src/domain/regression.js";
import { InvalidInputError } from "../../src/errors.js";
import { compareVersions, gateFailures, loggedEntries, logMetrics, metricsHistory } from "../../src/services/metrics.js";
import type { Store } from "../../src/store/store.js";
import { engines } from "../helpers/engines.js";

describe("--fail-on-regression thresholds", () => {
  it("reads N% as relative, values below 1 and abs:N as absolute", () => {
    expect(parseThreshold("2%")).toEqual({ kind: "relative", value: 0.02 });
    expect(parseThreshold("0.02")).toEqual({ kind: "absolute", value: 0.02 });
    expect(parseThreshold("abs:2")).toEqual({ kind: "absolute", value: 2 });
  });

  it("refuses a bare number of 1 or more as ambiguous, naming both accepted forms", () => {
    expect(() => parseThreshold("2")).toThrow(InvalidInputError);
    expect(() => parseThreshold("2")).toThrow("write 2% for a relative change, or abs:2 for an absolute one");
    expect(() => parseThreshold("-1%")).toThrow(/relative change like 2%.*absolute change below 1 like 0.02/);
  });

  it("treats a worsening past the threshold as a regression, and one below it as none", () => {
    const compare = (candidate: number) => compareMetrics({ f1: 0.8 }, { f1: candidate }, { threshold: parseThreshold("0.05") })[0]!.regressed;
    expect(compare(0.7)).toBe(true);
    expect(compare(0.76)).toBe(false);
  });
});

describe.each(engines)("the metrics gate on $name", (engine) => {
  let store: Store;
  beforeEach(async () => {
    store = await engine.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it("fails on a metric the candidate lacks, unless missing metrics are allowed", async () => {
    await logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.8, wer: 0.2 } });
    await logMetrics(store, { model_name: "m", version: "v2", metrics: { f1: 0.85 } });
    const result = await compareVersions(store, "m", "v1", "v2", { threshold: parseThreshold("2%") });
    expect(result.regressed).toEqual([]);
    expect(result.missing).toEqual(["wer"]);
    expect(gateFailures(result)).toEqual(["wer (missing)"]);
    expect(gateFailures(result, { allowMissing: true })).toEqual([]);
  });

  it("does not count a metric only the candidate has as missing", async () => {
    await logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.8 } });
    await logMetrics(store, { model_name: "m", version: "v2", metrics: { f1: 0.8, bleu: 0.3 } });
    expect(gateFailures(await compareVersions(store, "m", "v1", "v2", { threshold: parseThreshold("2%") }))).toEqual([]);
  });

  it("refuses --lower-is-better names neither version logged, listing the logged ones", async () => {
    await logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.8, wer: 0.2 } });
    await logMetrics(store, { model_name: "m", version: "v2", metrics: { f1: 0.8, wer: 0.2 } });
    await expect(compareVersions(store, "m", "v1", "v2", { lowerIsBetter: ["wre"] })).rejects.toThrow("lower-is-better names wre, which neither v1 nor v2 logged; their metrics: f1, wer");
  });

  it("uses the direction stored at log time", async () => {
    await logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.8, wer: 0.2 }, lower_is_better: ["wer"] });
    await logMetrics(store, { model_name: "m", version: "v2", metrics: { f1: 0.8, wer: 0.3 }, lower_is_better: ["wer"] });
    const result = await compareVersions(store, "m", "v1", "v2", { threshold: parseThreshold("2%") });
    expect(result.regressed).toEqual(["wer"]);
    expect(result.metrics.find((m) => m.metric === "wer")).toMatchObject({ lower_is_better: true, regressed: true });
    const better = await compareVersions(store, "m", "v2", "v1", { threshold: parseThreshold("2%") });
    expect(better.regressed).toEqual([]);
  });

  it("refuses a stored direction for a metric the entry does not have", async () => {
    await expect(logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.8 }, lower_is_better: ["wer"] })).rejects.toThrow(/wer is not one of the logged metrics \(f1\)/);
  });

  it("keeps earlier entries of a version unless asked to replace them; compare reads the latest", async () => {
    await logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.5 } }, { now: new Date("2026-01-01T00:00:00Z") });
    await logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.6 } }, { now: new Date("2026-01-02T00:00:00Z") });
    expect(await loggedEntries(store, "m", "v1")).toBe(2);
    await logMetrics(store, { model_name: "m", version: "v1", metrics: { f1: 0.7 } }, { now: new Date("2026-01-03T00:00:00Z"), replace: true });
    expect(await loggedEntries(store, "m", "v1")).toBe(1);
    expect((await metricsHistory(store, { model_name: "m" })).map((entry) => entry.metrics.f1)).toEqual([0.7]);
  });
});
