/**
 * A scan by sorted ids returns exactly what one ORDER BY returns, and tests the filter again on
 * every page: a row changed between pages to no longer match, or deleted, is not returned.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyedRow, OrderTerm, SqlValue } from "../../src/store/embedded/keyset-scan.js";
import { sortedIdsScan } from "../../src/store/embedded/sorted-ids-scan.js";

describe("sorted ids scan", () => {
  const db = new Database(":memory:");
  const run = (sql: string, params: SqlValue[]) => db.prepare(sql).all(...params) as KeyedRow[];
  const readIds = (sql: string, params: SqlValue[]) => db.prepare<SqlValue[], number>(sql).pluck().all(...params);
  beforeAll(() => {
    db.exec("CREATE TABLE t (rid INTEGER PRIMARY KEY, v, w)");
    db.exec("CREATE INDEX t_w ON t (w)");
  });
  afterAll(() => db.close());

  const orders: Array<[string, OrderTerm[]]> = [
    ["insertion", [{ sql: "rid", descending: false }]],
    ["v descending, then insertion", [{ sql: "coalesce(v, -1)", descending: true }, { sql: "rid", descending: false }]],
  ];

  it.each(orders)("returns the rows of one ORDER BY, in its order: %s", (_name, order) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: 3 })), fc.integer({ min: 0, max: 5 })), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (rows, pageRows) => {
        db.exec("DELETE FROM t");
        const insert = db.prepare("INSERT INTO t (v, w) VALUES (?, ?)");
        for (const [v, w] of rows) insert.run(v, w);
        const orderBy = order.map((term) => `${term.sql}${term.descending ? " DESC" : ""}`).join(", ");
        const expected = db.prepare<[number], number>(`SELECT rid FROM t WHERE w >= ? ORDER BY ${orderBy}`).pluck().all(2);
        const actual = Array.from(sortedIdsScan({ columns: "rid, v", table: "t", where: "w >= ?", params: [2], order }, run, readIds, pageRows), (row) => row.rid);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("skips rows changed to no longer match, or deleted, after the ids were read", () => {
    db.exec("DELETE FROM t");
    const insert = db.prepare("INSERT INTO t (rid, v, w) VALUES (?, ?, ?)");
    for (let rid = 1; rid <= 6; rid++) insert.run(rid, rid, 5);
    const seen: number[] = [];
    for (const row of sortedIdsScan({ columns: "rid", table: "t", where: "w >= ?", params: [2], order: orders[0]![1] }, run, readIds, 2)) {
      seen.push(row.rid as number);
      if (row.rid === 2) {
        db.prepare("UPDATE t SET w = 0 WHERE rid = 3").run();
        db.prepare("DELETE FROM t WHERE rid = 5").run();
      }
    }
    expect(seen).toEqual([1, 2, 4, 6]);
  });
});
