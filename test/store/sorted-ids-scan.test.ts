/**
 * When no index gives a scan's order with its filter, the scan reads the rest by row id after a
 * first full page: one sorted id query instead of a sort per page. It still returns exactly what
 * one ORDER BY returns, and tests the filter again on every page: a row changed between pages to
 * no longer match, or deleted, is not returned.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KeyedRow, type OrderTerm, type SqlRunner, type SqlValue, keysetScan } from "../../src/store/embedded/keyset-scan.js";

describe("scans read by sorted ids", () => {
  const db = new Database(":memory:");
  const statements: string[] = [];
  const runner: SqlRunner = {
    rows: (sql, params) => (statements.push(sql), db.prepare(sql).all(...params) as KeyedRow[]),
    ids: (sql, params) => (statements.push(sql), db.prepare<SqlValue[], number>(sql).pluck().all(...params)),
    sortsAll: (sql, params) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).some((step) => /TEMP B-TREE FOR .*ORDER BY/.test(step.detail)),
  };
  // Reading by id whatever SQLite's plan: its answers must not depend on the plan.
  const alwaysById: SqlRunner = { ...runner, sortsAll: () => true };
  beforeAll(() => {
    db.exec("CREATE TABLE t (rid INTEGER PRIMARY KEY, v, w)");
    db.exec("CREATE INDEX t_w ON t (w)");
  });
  afterAll(() => db.close());

  const insertion: OrderTerm[] = [{ sql: "rid", descending: false }];
  const orders: Array<[string, OrderTerm[]]> = [
    ["insertion", insertion],
    ["v descending, NULLs last, then insertion", [{ sql: "(v IS NULL)", descending: false }, { sql: "v", descending: true }, { sql: "rid", descending: false }]],
  ];

  it.each(orders)("returns the rows of one ORDER BY, in its order: %s", (_name, order) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: 3 })), fc.integer({ min: 0, max: 5 })), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (rows, pageRows) => {
        db.exec("DELETE FROM t");
        const insert = db.prepare("INSERT INTO t (v, w) VALUES (?, ?)");
        for (const [v, w] of rows) insert.run(v, w);
        const orderBy = order.map((term) => `${term.sql}${term.descending ? " DESC" : ""}`).join(", ");
        const expected = db.prepare<[number], number>(`SELECT rid FROM t WHERE w >= ? ORDER BY ${orderBy}`).pluck().all(2);
        const actual = Array.from(keysetScan({ columns: "rid, v", table: "t", where: "w >= ?", params: [2], order }, alwaysById, pageRows), (row) => row.rid);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("sorts the matches once, not once per page", () => {
    db.exec("DELETE FROM t");
    const insert = db.prepare("INSERT INTO t (v, w) VALUES (?, ?)");
    for (let i = 0; i < 50; i++) insert.run(i, i % 4);
    statements.length = 0;
    // Two values of the index on w: its entries come in rid order per value, not across them.
    const rids = Array.from(keysetScan({ columns: "rid", table: "t", where: "w IN (?, ?)", params: [2, 3], order: insertion }, runner, 5), (row) => row.rid);
    expect(rids).toHaveLength(24);
    // The first page, one id query, then the other 19 rows in four pages by id.
    expect(statements).toHaveLength(6);
    expect(statements.filter((sql) => /ORDER BY/.test(sql))).toHaveLength(2);
    expect(statements.slice(2).every((sql) => sql.includes("json_each"))).toBe(true);
  });

  it("skips rows changed to no longer match, or deleted, after the ids were read", () => {
    db.exec("DELETE FROM t");
    const insert = db.prepare("INSERT INTO t (rid, v, w) VALUES (?, ?, ?)");
    for (let rid = 1; rid <= 8; rid++) insert.run(rid, rid, 5);
    const seen: number[] = [];
    for (const row of keysetScan({ columns: "rid", table: "t", where: "w >= ?", params: [2], order: insertion }, alwaysById, 2)) {
      seen.push(row.rid as number);
      if (row.rid === 4) {
        db.prepare("UPDATE t SET w = 0 WHERE rid = 5").run();
        db.prepare("DELETE FROM t WHERE rid = 7").run();
      }
    }
    expect(seen).toEqual([1, 2, 3, 4, 6, 8]);
  });
});
