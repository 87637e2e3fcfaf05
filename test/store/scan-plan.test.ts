/**
 * The scan planner: which rows the embedded engine reads, in which order, and whether mingo must
 * test them again.
 */
import { ObjectId } from "bson";
import { describe, expect, it } from "vitest";
import { makeLayout } from "../../src/store/embedded/columns.js";
import { INSERTION_ORDER, type ScanContext, idLookup, planScan } from "../../src/store/embedded/scan-plan.js";

const layout = makeLayout([
  { path: "user_id", name: "h1_user_id" },
  { path: "quality", name: "h2_quality" },
  { path: "notes", name: "h3_notes" },
]);
const context = (idsSortAsBson = true): ScanContext => ({ layout, indexedPaths: new Set(["user_id", "quality"]), idTextSortsAsBson: () => idsSortAsBson });

describe("the scan plan", () => {
  it("looks an _id up by primary key, exactly when the filter holds nothing else", () => {
    const id = new ObjectId("64b7f0c2a1b2c3d4e5f60718");
    expect(planScan({ _id: id }, undefined, context())).toMatchObject({ ids: ['{"$oid":"64b7f0c2a1b2c3d4e5f60718"}'], exact: true, sorted: true });
    expect(planScan({ _id: { $in: ["a", "b", "a"] } }, undefined, context())).toMatchObject({ ids: ['"a"', '"b"'], exact: true });
    expect(planScan({ _id: "a", notes: "x" }, undefined, context())).toMatchObject({ ids: ['"a"'], exact: false });
  });

  it("never answers an _id filter with an ordered scan of every row as if it were exact", () => {
    const plan = planScan({ _id: "a" }, { quality: -1 }, context());
    expect(plan.ids).toBeUndefined();
    expect(plan.exact).toBe(false);
  });

  it("orders an indexed sort by type rank, value and row id, in the asked directions", () => {
    const plan = planScan({}, { quality: -1, user_id: 1 }, context());
    expect(plan.sorted).toBe(true);
    expect(plan.exact).toBe(true);
    expect(plan.order.map((term) => [term.sql.includes("CASE") ? "rank" : term.sql, term.descending])).toEqual([
      ["rank", true],
      ['"h2_quality"', true],
      ["rank", false],
      ['"h1_user_id"', false],
      ["rid", false],
    ]);
  });

  it("orders {_id: 1} by the primary key only while its text sorts as MongoDB sorts the ids", () => {
    expect(planScan({}, { _id: 1 }, context(true)).order).toEqual([{ sql: "id", descending: false }]);
    const numericIds = planScan({}, { _id: 1 }, context(false));
    expect(numericIds).toMatchObject({ sorted: false, order: INSERTION_ORDER });
  });

  it("breaks ties on _id by the primary key, in either direction", () => {
    const plan = planScan({ user_id: "u1" }, { quality: -1, _id: -1 }, context(true));
    expect(plan.sorted).toBe(true);
    expect(plan.order.slice(2)).toEqual([{ sql: "id", descending: true }, INSERTION_ORDER[0]]);
    expect(planScan({ user_id: "u1" }, { quality: -1, _id: -1 }, context(false)).sorted).toBe(false);
  });

  it("leaves a sort on an unindexed path to the caller, reading in insertion order", () => {
    expect(planScan({ user_id: "u1" }, { notes: 1 }, context())).toMatchObject({ sorted: false, order: INSERTION_ORDER, exact: true });
  });

  it("pushes an indexed equality down exactly, and an unindexed one as a superset for mingo", () => {
    const indexed = planScan({ user_id: "u1" }, undefined, context());
    expect(indexed).toMatchObject({ exact: true, params: ["u1"] });
    expect(indexed.where).toContain('"h1_user_id" = ?');
    const unindexed = planScan({ notes: "x" }, undefined, context());
    expect(unindexed.exact).toBe(false);
    expect(unindexed.where).toContain('"h3_notes" = ?');
    expect(planScan({ notes: { $regex: "x" } }, undefined, context())).toMatchObject({ where: undefined, exact: false });
  });

  it("reads the _id values a filter pins down, and nothing from the forms it cannot look up", () => {
    expect(idLookup({ _id: { $eq: 3 } })).toEqual([3]);
    expect(idLookup({ _id: { $in: ["a", 2] } })).toEqual(["a", 2]);
    expect(idLookup({ _id: { $gt: "a" } })).toBeUndefined();
    expect(idLookup({ _id: { $in: [new Date(0)] } })).toBeUndefined();
    expect(idLookup({ _id: null })).toBeUndefined();
    expect(idLookup({ user_id: "a" })).toBeUndefined();
  });
});
