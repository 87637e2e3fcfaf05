import fc from "fast-check";
import { ObjectId } from "bson";
import { describe, expect, it } from "vitest";
import type { Doc, Pipeline } from "../../src/store/store.js";
import { planFastGroup, runFastGroup } from "../../src/store/embedded/fast-group.js";
import { aggregateStream } from "../../src/store/embedded/mql.js";
import { mondayOfLocalDay } from "../../src/store/local-week.js";

/** Values a stored document may hold (objects as JSON.parse makes them) where a pipeline reads: scalars, Dates, ObjectIds, nulls, nesting and arrays. */
const scalar = fc.oneof(
  fc.constantFrom("a", "b", "", "1"),
  fc.constantFrom(0, 1, 2.5, -1),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(new Date(0), new Date(86_400_000), new Date("2026-03-29T00:45:00Z"), new Date("2026-10-25T23:59:59.999Z"), new Date("2026-01-04T17:15:00Z")),
  // Around a week's turn: Sunday late in UTC (Monday further east), Monday early (Sunday further west).
  fc.constantFrom(new Date("2026-11-29T20:00:00Z"), new Date("2026-11-30T05:00:00Z"), new Date("2026-12-31T23:30:00Z")),
  fc.constant(new ObjectId("64b7f0c2a1b2c3d4e5f60718")),
);
const element = fc.oneof(fc.record({ t: scalar, v: scalar }, { requiredKeys: [], noNullPrototype: true }), scalar, fc.array(fc.record({ t: scalar }, { noNullPrototype: true }), { maxLength: 2 }));
const doc = fc.record(
  {
    a: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.record({ x: scalar }, { noNullPrototype: true })),
    b: fc.oneof(fc.record({ c: scalar }, { requiredKeys: [], noNullPrototype: true }), fc.array(fc.record({ c: scalar }, { noNullPrototype: true }), { maxLength: 2 }), scalar),
    list: fc.oneof(fc.array(element, { maxLength: 4 }), scalar, fc.record({ t: scalar }, { noNullPrototype: true })),
  },
  { requiredKeys: [], noNullPrototype: true },
);

const PIPELINES: Array<[string, Pipeline]> = [
  ["unwind, named key, count and sum", [{ $unwind: "$list" }, { $group: { _id: { t: "$list.t", a: "$a" }, n: { $sum: 1 }, s: { $sum: "$list.v" } } }]],
  ["unwind given as {path}", [{ $unwind: { path: "$list" } }, { $group: { _id: "$list", n: { $sum: 1 } } }]],
  ["nested key without unwind", [{ $group: { _id: "$b.c", n: { $sum: 2 } } }]],
  ["one group", [{ $group: { _id: null, s: { $sum: "$a" }, n: { $sum: 1 } } }]],
  ["one group named by a constant", [{ $group: { _id: "all", s: { $sum: "$a" }, n: { $sum: 1 } } }]],
  ["constants beside a field in a named key", [{ $group: { _id: { all: "all", c: "$b.c", none: null, one: 1, yes: true }, n: { $sum: 1 } } }]],
  ["averages, least and greatest values", [{ $group: { _id: "$b.c", avg: { $avg: "$a" }, min: { $min: "$a" }, max: { $max: "$b.c" } } }]],
  ["unwound averages", [{ $unwind: "$list" }, { $group: { _id: { t: "$list.t" }, avg: { $avg: "$list.v" }, min: { $min: "$list.v" }, n: { $sum: 1 } } }]],
  ["local days in UTC", [{ $group: { _id: { $dateToString: { date: "$a", format: "%Y-%m-%d" } }, n: { $sum: 1 }, avg: { $avg: "$b.c" } } }]],
  ["local months in a zone with daylight saving", [{ $group: { _id: { $dateToString: { date: "$a", format: "%Y-%m", timezone: "Europe/Berlin" } }, n: { $sum: 1 } } }]],
  ["local weeks (their Mondays) in UTC", [{ $group: { _id: mondayOfLocalDay("a"), n: { $sum: 1 }, avg: { $avg: "$b.c" } } }]],
  ["local weeks in zones east and west", [{ $group: { _id: { in: mondayOfLocalDay("a", "Asia/Kolkata"), la: mondayOfLocalDay("a", "America/Los_Angeles") }, n: { $sum: 1 } } }]],
  ["local weeks at an offset", [{ $group: { _id: mondayOfLocalDay("a", "+05:45"), n: { $sum: 1 } } }]],
  [
    "sums of array lengths and of non-empty arrays (anything else is $size's error)",
    [{ $group: { _id: "$b.c", n: { $sum: { $size: { $ifNull: ["$list", []] } } }, some: { $sum: { $cond: [{ $gt: [{ $size: { $ifNull: ["$a", []] } }, 0] }, 1, 0] } } } }],
  ],
  ["sums of a subdocument's presence (other values judged by the general path)", [{ $group: { _id: "$a", with: { $sum: { $cond: [{ $ifNull: ["$b", false] }, 1, 0] } }, n: { $sum: 1 } } }]],
  ["local days at a fixed offset and in Asia", [{ $group: { _id: { day: { $dateToString: { date: "$a", format: "%Y-%m-%d", timezone: "+05:45" } }, vn: { $dateToString: { date: "$b.c", format: "%Y-%m-%d", timezone: "Asia/Ho_Chi_Minh" } } }, n: { $sum: 1 } } }]],
];

function general(pipeline: Pipeline, docs: Doc[]): Doc[] {
  return Array.from({ [Symbol.iterator]: () => aggregateStream(pipeline, docs) });
}

function outcome(run: () => Doc[]): { groups: Doc[] } | { error: string } {
  try {
    return { groups: run() };
  } catch (error) {
    return { error: String(error) };
  }
}

describe("native $unwind/$group", () => {
  it.each(PIPELINES)("gives mingo's groups, in mingo's order: %s", (_name, pipeline) => {
    const fast = planFastGroup(pipeline);
    expect(fast).toBeDefined();
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 12 }), (docs) => {
        // Values $dateToString refuses make both paths fail the same way.
        expect(outcome(() => Array.from(runFastGroup(fast!.plan, docs)))).toEqual(outcome(() => general(pipeline, docs)));
      }),
      { numRuns: 400 },
    );
  });

  it("leaves every other pipeline to mingo", () => {
    for (const pipeline of [
      [{ $unwind: { path: "$list", preserveNullAndEmptyArrays: true } }, { $group: { _id: "$a", n: { $sum: 1 } } }],
      [{ $group: { _id: "$a", n: { $push: "$b" } } }],
      [{ $group: { _id: { $dateToString: { date: "$a", format: "%H:%M" } }, n: { $sum: 1 } } }],
      [{ $group: { _id: { $toLower: "$a" }, n: { $sum: 1 } } }],
      [{ $group: { _id: { $let: { vars: { day: "$a" }, in: "$$day" } }, n: { $sum: 1 } } }],
      [{ $group: { _id: "$$ROOT", n: { $sum: 1 } } }],
      [{ $group: { _id: "$a", n: { $sum: { $size: "$list" } } } }],
      [{ $group: { _id: "$a", n: { $sum: { $size: { $ifNull: ["$list", [0]] } } } } }],
      [{ $group: { _id: "$a", n: { $sum: { $cond: [{ $gt: [{ $size: { $ifNull: ["$list", []] } }, 1] }, 1, 0] } } } }],
      [{ $group: { _id: "$a", n: { $max: { $size: { $ifNull: ["$list", []] } } } } }],
      [{ $unwind: "$b.c" }, { $group: { _id: "$b", n: { $sum: 1 } } }],
      [{ $sort: { a: 1 } }, { $group: { _id: "$a", n: { $sum: 1 } } }],
    ] as Pipeline[]) {
      expect(planFastGroup(pipeline)).toBeUndefined();
    }
  });

  it("hands the stages after the group back", () => {
    const rest = [{ $sort: { n: -1 } }, { $limit: 3 }];
    expect(planFastGroup([{ $group: { _id: "$a", n: { $sum: 1 } } }, ...rest])?.rest).toEqual(rest);
  });
});
