/**
 * The local-date operators give mingo's own answers, whatever the value: Dates across a week's turn,
 * a daylight-saving change and 1980 (where named zones fall back to mingo), nulls, missing fields,
 * strings and numbers. mingo, the reference, reads zone offsets through the process's own zone and
 * is an hour off near that zone's clock changes; the suite runs where the process zone is UTC.
 */
import fc from "fast-check";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { aggregateStream } from "../../src/store/embedded/mql.js";
import type { Doc } from "../../src/store/store.js";
import { mondayOfLocalDay } from "../../src/store/local-week.js";

const load = createRequire(import.meta.url);
const { Context } = load("mingo/core");
const { Aggregator } = load("mingo/aggregator");
/** mingo with its own operators only: the reference. */
const reference = { context: Context.init({ expression: load("mingo/operators/expression"), pipeline: load("mingo/operators/pipeline") }) };

/** One value computed by mingo's own operators and by the engine's (aggregateStream). */
function both(doc: Doc, expression: unknown): [unknown, unknown] {
  const pipeline = [{ $project: { _id: 0, k: expression } }];
  return [outcome(() => new Aggregator(pipeline, reference).run([doc])), outcome(() => Array.from({ [Symbol.iterator]: () => aggregateStream(pipeline, [doc]) }))];
}
const at = fc.oneof(
  fc.constantFrom("2026-11-29T20:00:00Z", "2026-11-30T05:00:00Z", "2026-03-29T00:45:00Z", "2026-10-25T01:10:00Z", "1979-12-31T23:00:00Z", "2026-12-31T23:30:00Z").map((text) => new Date(text)),
  fc.integer({ min: Date.UTC(1975, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms)),
  fc.constantFrom(null, undefined, "2026-01-01", 7),
);
// Offsets whose sign mingo loses (-00:mm, -2h:mm) must go to mingo's own operator.
const zone = fc.constantFrom("Asia/Kolkata", "America/Los_Angeles", "Europe/Berlin", "Asia/Ho_Chi_Minh", "+05:45", "-03:00", "+00:00", "-00:30", "-20:00", "+2300");

function outcome(run: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: String(error) };
  }
}

describe("local-date operators on the general pipeline path", () => {
  it("$dateToString by day and month in a zone answers as mingo's", () => {
    fc.assert(
      fc.property(at, zone, fc.constantFrom("%Y-%m-%d", "%Y-%m", "%H:%M"), (value, timezone, format) => {
        const [mine, mingos] = both(value === undefined ? {} : { t: value }, { $dateToString: { date: "$t", format, timezone } });
        expect(mine).toEqual(mingos);
      }),
      { numRuns: 2000 },
    );
  });

  it("the Monday of a local day answers as mingo's", () => {
    fc.assert(
      fc.property(at, fc.option(zone, { nil: undefined }), (value, timezone) => {
        const [mine, mingos] = both(value === undefined ? {} : { t: value }, mondayOfLocalDay("t", timezone));
        expect(mine).toEqual(mingos);
      }),
      { numRuns: 2000 },
    );
  });

  it("answers a changed pipeline object by what it says now", () => {
    const week = mondayOfLocalDay("t", "Asia/Kolkata") as { $let: { vars: { day: { $dateFromString: { dateString: { $dateToString: { timezone: string } } } } } } };
    const doc = { t: new Date("2026-11-29T20:00:00Z") };
    expect(both(doc, week)[0]).toEqual({ value: [{ k: "2026-11-30" }] });
    week.$let.vars.day.$dateFromString.dateString.$dateToString.timezone = "America/Los_Angeles";
    expect(both(doc, week)[0]).toEqual({ value: [{ k: "2026-11-23" }] });
  });

  it("leaves any other $let to mingo", () => {
    const [mine, mingos] = both({ t: "hi" }, { $let: { vars: { x: "$t" }, in: { $concat: ["$$x", "!"] } } });
    expect(mine).toEqual({ value: [{ k: "hi!" }] });
    expect(mine).toEqual(mingos);
  });
});
