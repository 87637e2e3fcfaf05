/**
 * Groups answered by SQLite from hot columns give MongoDB's groups (mingo's), whatever the stored
 * values: numbers, strings, booleans, nulls, missing fields, Dates, arrays on the way.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planFastGroup, runFastGroup } from "../../src/store/embedded/fast-group.js";
import { aggregateStream } from "../../src/store/embedded/mql.js";
import { tableName } from "../../src/store/embedded/sql-names.js";
import { mondayOfLocalDay } from "../../src/store/local-week.js";
import { openStore } from "../../src/store/open-store.js";
import type { Collection, Doc, IndexSpec, Pipeline, Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";

const value = fc.oneof(
  fc.constantFrom("a", "b", ""),
  fc.constantFrom(0, 1, 2.5, -1),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(new Date("2026-03-29T00:45:00Z"), new Date("2026-03-28T23:59:59.999Z"), new Date("2026-10-25T01:10:00Z"), new Date(0), new Date(-1_800_000), new Date(Date.UTC(10000, 0, 1))),
  fc.constantFrom(new Date("2026-11-29T20:00:00Z"), new Date("2026-11-30T05:00:00Z"), new Date("1970-01-01T03:00:00Z")),
  fc.constant([1, 2]),
);
const doc = fc.record({ k: value, d: value, n: value, o: fc.oneof(fc.record({ x: value }, { requiredKeys: [], noNullPrototype: true }), fc.array(fc.record({ x: value }, { noNullPrototype: true }), { maxLength: 2 })) }, { requiredKeys: [], noNullPrototype: true });

// $min/$max over paths across arrays are left out: there mingo's order of null against arrays
// differs from MongoDB's (it answers null where MongoDB answers []), so it is no reference.
const PIPELINES: Array<[string, Pipeline]> = [
  ["a field key, counts, least and greatest values", [{ $group: { _id: "$k", n: { $sum: 1 }, min: { $min: "$n" }, max: { $max: "$n" } } }]],
  ["sums and averages", [{ $group: { _id: "$k", s: { $sum: "$n" }, avg: { $avg: "$n" } } }]],
  ["named keys, one missing", [{ $group: { _id: { k: "$k", x: "$o.x" }, n: { $sum: 2 } } }]],
  ["local days in a zone", [{ $group: { _id: { $dateToString: { date: "$d", format: "%Y-%m-%d", timezone: "Europe/Berlin" } }, n: { $sum: 1 }, min: { $min: "$n" } } }]],
  ["local weeks (their Mondays) in a zone", [{ $group: { _id: mondayOfLocalDay("d", "Asia/Kolkata"), n: { $sum: 1 }, avg: { $avg: "$n" } } }]],
  ["UTC weeks, with another key", [{ $group: { _id: { w: mondayOfLocalDay("d"), k: "$k" }, n: { $sum: 1 } } }]],
  ["UTC days (the date's own characters)", [{ $group: { _id: { $dateToString: { date: "$d", format: "%Y-%m-%d" } }, n: { $sum: 1 }, s: { $sum: "$n" } } }]],
  ["UTC months by a zero offset, averages", [{ $group: { _id: { m: { $dateToString: { date: "$d", format: "%Y-%m", timezone: "+00:00" } }, k: "$k" }, avg: { $avg: "$n" }, max: { $max: "$n" } } }]],
  ["unwound elements: an element's field and a document's field as keys", [{ $unwind: "$o" }, { $group: { _id: { x: "$o.x", k: "$k" }, n: { $sum: 1 }, s: { $sum: "$n" } } }]],
  ["unwound elements after a filter, one key", [{ $match: { k: "a" } }, { $unwind: { path: "$o" } }, { $group: { _id: "$o.x", n: { $sum: 1 }, max: { $max: "$n" } } }]],
  ["one group after a filter", [{ $match: { k: "a" } }, { $group: { _id: null, n: { $sum: 1 }, max: { $max: "$n" } } }]],
  ["one group named by a constant", [{ $group: { _id: "all", n: { $sum: 1 }, s: { $sum: "$n" } } }]],
  ["sums of a subdocument's presence", [{ $group: { _id: "$k", with: { $sum: { $cond: [{ $ifNull: ["$o", false] }, 1, 0] } }, without: { $sum: { $cond: [{ $ifNull: ["$n", false] }, 1, 0] } } } }]],
  [
    "a group of groups (distinct values counted by grouping twice)",
    [{ $group: { _id: { k: "$k", n: "$n" }, c: { $sum: 1 } } }, { $group: { _id: "$_id.k", distinct: { $sum: 1 }, c: { $sum: "$c" } } }, { $sort: { c: -1 } }],
  ],
  ["constants beside a field in a named key", [{ $group: { _id: { all: "all", k: "$k", none: null, one: 1 }, n: { $sum: 1 } } }]],
  [
    "sums of array lengths and of non-empty arrays",
    [{ $group: { _id: "$k", errors: { $sum: { $size: { $ifNull: ["$o", []] } } }, with: { $sum: { $cond: [{ $gt: [{ $size: { $ifNull: ["$n", []] } }, 0] }, 1, 0] } } } }],
  ],
];

function outcome(run: () => Doc[]): { groups: Doc[] } | { error: string } {
  try {
    return { groups: JSON.parse(JSON.stringify(run())) as Doc[] };
  } catch (error) {
    return { error: String(error) };
  }
}

/** Runs `work` on a fresh in-memory store, with the group path of each of its reads recorded in `paths`. */
async function withGroupPaths<R>(work: (store: Store, paths: string[]) => Promise<R>): Promise<R> {
  const store = await openStore(":memory:");
  const paths: string[] = [];
  const listen = (event: unknown) => paths.push(String((event as { group?: string }).group));
  subscribe("lexi:embedded:read", listen);
  try {
    return await work(store, paths);
  } finally {
    unsubscribe("lexi:embedded:read", listen);
    await store.close();
  }
}

describe("groups answered in SQL from hot columns", () => {
  let store: Store;
  let things: Collection;
  beforeAll(async () => {
    store = await openStore(":memory:");
    things = store.collection("sql_group_things");
    await things.createIndexes([{ name: "k_1", keys: { k: 1 } }, { name: "d_1", keys: { d: 1 } }, { name: "n_1", keys: { n: 1 } }, { name: "o.x_1", keys: { "o.x": 1 } }, { name: "o_1", keys: { o: 1 } }]);
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

describe("the order of groups answered from hot columns", () => {
  it("is the order of first appearance, also when an index returns the rows in another order", async () => {
    await withGroupPaths(async (store, paths) => {
      const things = store.collection("ordered_things");
      await things.createIndexes([{ name: "k_1", keys: { k: 1 } }, { name: "n_1", keys: { n: 1 } }]);
      await things.insertMany([{ _id: 1, k: "c", n: 1 }, { _id: 2, k: "a", n: 2 }, { _id: 3, k: "b", n: 3 }, { _id: 4, k: "a", n: 4 }]);
      const groups = await things.aggregate([{ $match: { k: { $in: ["a", "b", "c"] } } }, { $group: { _id: "$k", n: { $sum: 1 }, s: { $sum: "$n" } } }]).toArray();
      expect(groups).toEqual([{ _id: "c", n: 1, s: 1 }, { _id: "a", n: 2, s: 6 }, { _id: "b", n: 1, s: 3 }]);
      expect(paths).toEqual(["sql"]);
    });
  });
});

describe("sums and averages of fractions in SQL", () => {
  let store: Store;
  let readings: Collection;
  beforeAll(async () => {
    store = await openStore(":memory:");
    readings = store.collection("sql_group_readings");
    await readings.createIndexes(READING_INDEXES);
  });
  afterAll(async () => {
    await store.close();
  });

  const reading = fc.record({
    at: fc.integer({ min: 0, max: 3 * 86_400 - 1 }).map((seconds) => new Date(Date.UTC(2026, 2, 28) + seconds * 1000)),
    score: fc.integer({ min: -1_000_000, max: 1_000_000 }).map((thousandths) => thousandths / 1000),
  });

  // Both paths add with compensation, but SQLite sums each quarter hour first and those partial
  // sums are added afterwards, so the last bits may differ. Each stays within a few units in the
  // last place of the exact sum: 4 ε times the sum of all magnitudes bounds their difference.
  it("agree with the document path to within a few units in the last place", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reading, { minLength: 1, maxLength: 60 }), async (docs) => {
        await readings.deleteMany({});
        const stored = docs.map((d, i) => ({ _id: i, ...d }));
        await readings.insertMany(stored);
        const inSql = await readings.aggregate(BY_DAY).toArray();
        const onDocuments = [...runFastGroup(planFastGroup(BY_DAY)!.plan, stored)];
        expect(inSql.map((group) => [group._id, group.n])).toEqual(onDocuments.map((group) => [group._id, group.n]));
        const tolerance = 4 * Number.EPSILON * stored.reduce((total, d) => total + Math.abs(d.score), 0);
        onDocuments.forEach((expected, i) => {
          expect(Math.abs((inSql[i]!.sum as number) - (expected.sum as number))).toBeLessThanOrEqual(tolerance);
          expect(Math.abs((inSql[i]!.avg as number) - (expected.avg as number))).toBeLessThanOrEqual(tolerance);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("are answered from the columns, without reading a document", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "readings.db");
      const written = await openStore(path);
      await written.collection("readings").createIndexes(READING_INDEXES);
      await written.collection("readings").insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i, at: new Date(Date.UTC(2026, 2, 28, i)), score: 0.1 })));
      await written.close();
      // The documents now say 5 while the columns still hold 0.1: the answer tells which was read.
      const db = new Database(path);
      db.prepare(`UPDATE "${tableName("readings")}" SET doc = json_set(doc, '$.score', 5)`).run();
      db.close();
      const reopened = await openStore(path);
      try {
        expect(await reopened.collection("readings").aggregate(BY_DAY).toArray()).toEqual([{ _id: "2026-03-28", n: 10, sum: 1, avg: 0.1 }]);
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe("unwound groups in SQL", () => {
  const scalar = fc.oneof(fc.constantFrom("a", "b", ""), fc.constantFrom(0, 1, 2.5), fc.boolean(), fc.constant(null));
  // Arrays of subdocuments with scalar fields, or of scalars (which have no fields): SQL takes them apart.
  const element = fc.oneof({ weight: 4, arbitrary: fc.record({ x: scalar }, { requiredKeys: [], noNullPrototype: true }) }, { weight: 1, arbitrary: scalar });
  const unwindable = fc.record({ k: scalar, n: scalar, o: fc.oneof(fc.array(element, { maxLength: 3 }), fc.constant(null)) }, { requiredKeys: ["o"], noNullPrototype: true });
  const UNWOUND: Pipeline = [{ $unwind: "$o" }, { $group: { _id: { x: "$o.x", k: "$k" }, n: { $sum: 1 }, s: { $sum: "$n" }, avg: { $avg: "$n" } } }];

  it("gives mingo's groups from the array's column, in mingo's order", async () => {
    await withGroupPaths(async (store, paths) => {
      const things = store.collection("unwound_things");
      await things.createIndexes([{ name: "k_1", keys: { k: 1 } }, { name: "n_1", keys: { n: 1 } }, { name: "o_1", keys: { o: 1 } }]);
      await fc.assert(
        fc.asyncProperty(fc.array(unwindable, { minLength: 1, maxLength: 10 }), async (docs) => {
          await things.deleteMany({});
          const stored = docs.map((d, i) => ({ _id: i, ...d }));
          await things.insertMany(stored);
          paths.length = 0;
          const actual = JSON.parse(JSON.stringify(await things.aggregate(UNWOUND).toArray()));
          expect(actual).toEqual(JSON.parse(JSON.stringify(Array.from({ [Symbol.iterator]: () => aggregateStream(UNWOUND, stored) }))));
          expect(paths).toEqual(["sql"]);
        }),
        { numRuns: 150 },
      );
    });
  });

  it("are answered from the array's column, without reading a document", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "mistakes.db");
      const written = await openStore(path);
      await written.collection("mistakes").createIndexes([{ name: "errors_1", keys: { errors: 1 } }, { name: "user_1", keys: { user: 1 } }]);
      await written.collection("mistakes").insertMany([
        { _id: 1, user: "u1", errors: [{ type: "tense" }, { type: "article" }] },
        { _id: 2, user: "u2", errors: [{ type: "tense" }] },
        { _id: 3, user: "u2", errors: [] },
        { _id: 4, user: "u3" },
      ]);
      await written.close();
      // The documents now hold no errors while the column still does: the answer tells which was read.
      const db = new Database(path);
      db.prepare(`UPDATE "${tableName("mistakes")}" SET doc = json_set(doc, '$.errors', json('[]'))`).run();
      db.close();
      const reopened = await openStore(path);
      try {
        const groups = await reopened.collection("mistakes").aggregate([{ $unwind: "$errors" }, { $group: { _id: { type: "$errors.type", user: "$user" }, n: { $sum: 1 } } }]).toArray();
        expect(groups).toEqual([
          { _id: { type: "tense", user: "u1" }, n: 1 },
          { _id: { type: "article", user: "u1" }, n: 1 },
          { _id: { type: "tense", user: "u2" }, n: 1 },
        ]);
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });
});

const READING_INDEXES: IndexSpec[] = [{ name: "score_1", keys: { score: 1 } }, { name: "at_1", keys: { at: 1 } }];
const BY_DAY: Pipeline = [{ $group: { _id: { $dateToString: { date: "$at", format: "%Y-%m-%d", timezone: "Europe/Berlin" } }, n: { $sum: 1 }, sum: { $sum: "$score" }, avg: { $avg: "$score" } } }];

describe("array lengths summed in SQL", () => {
  const errors = { $size: { $ifNull: ["$errors", []] } };
  const GRAMMAR: Pipeline = [{ $group: { _id: "$user", interactions: { $sum: 1 }, errors: { $sum: errors }, with_errors: { $sum: { $cond: [{ $gt: [errors, 0] }, 1, 0] } } } }];
  const scalar = fc.oneof(fc.constantFrom("a", ""), fc.constantFrom(0, 2.5), fc.boolean(), fc.constant(null));
  const measurable = fc.record({ user: fc.constantFrom("u1", "u2"), errors: fc.oneof(fc.array(fc.oneof(scalar, fc.record({ type: scalar }, { noNullPrototype: true })), { maxLength: 3 }), fc.constant(null)) }, { requiredKeys: ["user"], noNullPrototype: true });

  function run(docs: Doc[], pipeline = GRAMMAR): Promise<{ answer: unknown; expected: unknown; paths: string[] }> {
    return withGroupPaths(async (store, paths) => {
      const mistakes = store.collection("mistakes");
      await mistakes.createIndexes([{ name: "user_1", keys: { user: 1 } }, { name: "errors_1", keys: { errors: 1 } }, { name: "feedback_1", keys: { feedback: 1 } }]);
      const stored = docs.map((d, i) => ({ _id: i, ...d }));
      if (stored.length) await mistakes.insertMany(stored);
      paths.length = 0;
      let actual: unknown;
      try {
        actual = { groups: JSON.parse(JSON.stringify(await mistakes.aggregate(pipeline).toArray())) };
      } catch (error) {
        actual = { error: String(error) };
      }
      return { answer: actual, expected: outcome(() => Array.from({ [Symbol.iterator]: () => aggregateStream(pipeline, stored) })), paths };
    });
  }

  it("gives mingo's groups from the arrays' column, when every value is an array, null or missing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(measurable, { minLength: 1, maxLength: 8 }), async (docs) => {
        const { answer, expected, paths } = await run(docs);
        expect(answer).toEqual(expected);
        expect(paths).toEqual(["sql"]);
      }),
      { numRuns: 100 },
    );
  });

  it("answers a group named by a constant in SQL too", async () => {
    const overall: Pipeline = [{ $group: { ...(GRAMMAR[0]!.$group as Doc), _id: "all" } }];
    const { answer, expected, paths } = await run([{ user: "u1", errors: [{ type: "tense" }, { type: "article" }] }, { user: "u2", errors: [] }, { user: "u2" }], overall);
    expect(answer).toEqual({ groups: [{ _id: "all", interactions: 3, errors: 2, with_errors: 1 }] });
    expect(answer).toEqual(expected);
    expect(paths).toEqual(["sql"]);
  });

  it("counts subdocuments present, from their column, where the rest are missing, null or false", async () => {
    const presence: Pipeline = [{ $group: { _id: "$user", interactions: { $sum: 1 }, with_feedback: { $sum: { $cond: [{ $ifNull: ["$feedback", false] }, 1, 0] } } } }];
    const docs = [{ user: "u1", feedback: { rating: 5 } }, { user: "u1" }, { user: "u2", feedback: null }, { user: "u2", feedback: { rating: 1 } }, { user: "u2", feedback: false }];
    const { answer, expected, paths } = await run(docs, presence);
    expect(answer).toEqual({ groups: [{ _id: "u1", interactions: 2, with_feedback: 1 }, { _id: "u2", interactions: 3, with_feedback: 1 }] });
    expect(answer).toEqual(expected);
    expect(paths).toEqual(["sql"]);
    // Another value is judged true or false by the document path.
    const judged = await run([...docs, { user: "u1", feedback: "" }, { user: "u1", feedback: [] }], presence);
    expect(judged.answer).toEqual(judged.expected);
    expect(judged.paths).toEqual(["decoded rows"]);
  });

  it("leaves a value that is no array to the document path, which raises $size's error as MongoDB does", async () => {
    for (const odd of ["three", { type: "tense" }, 3]) {
      const { answer, expected, paths } = await run([{ user: "u1", errors: [{ type: "tense" }] }, { user: "u2", errors: odd }]);
      expect(answer).toEqual(expected);
      expect(answer).toHaveProperty("error");
      expect(paths).toEqual(["decoded rows"]);
    }
  });
});
