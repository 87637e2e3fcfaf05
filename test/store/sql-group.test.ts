/**
 * Groups answered by SQLite from hot columns give MongoDB's groups (mingo's), whatever the stored
 * values: numbers, strings, booleans, nulls, missing fields, Dates, arrays on the way.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateStream } from "../../src/store/embedded/mql.js";
import { openStore } from "../../src/store/open-store.js";
import type { Collection, Doc, Pipeline, Store } from "../../src/store/store.js";

const value = fc.oneof(
  fc.constantFrom("a", "b", ""),
  fc.constantFrom(0, 1, 2.5, -1),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(new Date("2026-03-29T00:45:00Z"), new Date("2026-03-28T23:59:59.999Z"), new Date("2026-10-25T01:10:00Z"), new Date(0)),
  fc.constant([1, 2]),
);
const doc = fc.record({ k: value, d: value, n: value, o: fc.oneof(fc.record({ x: value }, { requiredKeys: [], noNullPrototype: true }), fc.array(fc.record({ x: value }, { noNullPrototype: true }), { maxLength: 2 })) }, { requiredKeys: [], noNullPrototype: true });

// $min/$max over paths across arrays are left out: there mingo's order of null against arrays
// differs from MongoDB's (it answers null where MongoDB answers []), so it is no reference.
const PIPELINES: Array<[string, Pipeline]> = [
  ["a field key, counts, least and greatest values", [{ $group: { _id: "$k", n: { $sum: 1 }, min: { $min: "$n" }, max: { $max: "$n" } } }]],
  ["sums and averages (the document path)", [{ $group: { _id: "$k", s: { $sum: "$n" }, avg: { $avg: "$n" } } }]],
  ["named keys, one missing", [{ $group: { _id: { k: "$k", x: "$o.x" }, n: { $sum: 2 } } }]],
  ["local days in a zone", [{ $group: { _id: { $dateToString: { date: "$d", format: "%Y-%m-%d", timezone: "Europe/Berlin" } }, n: { $sum: 1 }, min: { $min: "$n" } } }]],
  ["one group after a filter", [{ $match: { k: "a" } }, { $group: { _id: null, n: { $sum: 1 }, max: { $max: "$n" } } }]],
];

function outcome(run: () => Doc[]): { groups: Doc[] } | { error: string } {
  try {
    return { groups: JSON.parse(JSON.stringify(run())) as Doc[] };
  } catch (error) {
    return { error: String(error) };
  }
}

describe("groups answered in SQL from hot columns", () => {
  let store: Store;
  let things: Collection;
  beforeAll(async () => {
    store = await openStore(":memory:");
    things = store.collection("sql_group_things");
    await things.createIndexes([{ name: "k_1", keys: { k: 1 } }, { name: "d_1", keys: { d: 1 } }, { name: "n_1", keys: { n: 1 } }, { name: "o.x_1", keys: { "o.x": 1 } }]);
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(PIPELINES)("gives mingo's groups: %s", async (_name, pipeline) => {
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { maxLength: 10 }), async (docs) => {
        await things.deleteMany({});
        const stored = docs.map((d, i) => ({ _id: i, ...d }));
        if (stored.length) await things.insertMany(stored);
        const expected = outcome(() => Array.from({ [Symbol.iterator]: () => aggregateStream(pipeline, stored) }));
        let actual: { groups: Doc[] } | { error: string };
        try {
          actual = { groups: JSON.parse(JSON.stringify(await things.aggregate(pipeline).toArray())) as Doc[] };
        } catch (error) {
          actual = { error: String(error) };
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
