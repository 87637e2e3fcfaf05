/**
 * A keyset scan returns exactly what one ORDER BY returns, page after page, with ties, NULLs and
 * mixed directions, and each page is an index seek rather than a walk past the rows before it.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KeyedRow, type OrderTerm, type SqlRunner, type SqlValue, keysetScan } from "../../src/store/embedded/keyset-scan.js";

/** Like a hot column: the rank leads, and the value is NULL only under the null rank. */
const RANK = "(CASE WHEN v IS NULL THEN 1 WHEN typeof(v) = 'integer' THEN 2 ELSE 3 END)";

describe("keyset scan", () => {
  const db = new Database(":memory:");
  const run = (sql: string, params: SqlValue[]) => db.prepare(sql).all(...params) as KeyedRow[];
  // Pages by keyset only: the switch to reading by id is tested in sorted-ids-scan.test.ts.
  const keysetOnly = (rows = run): SqlRunner => ({ rows, ids: () => [], sortsAll: () => false });
  beforeAll(() => {
    db.exec(`CREATE TABLE t (rid INTEGER PRIMARY KEY, v, w)`);
    db.exec(`CREATE INDEX t_v ON t (${RANK}, v, rid)`);
  });
  afterAll(() => db.close());

  const cell = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 }), fc.constantFrom("a", "b"));
  const orders: Array<[string, OrderTerm[]]> = [
    ["insertion", [{ sql: "rid", descending: false }]],
    ["v ascending", [{ sql: RANK, descending: false }, { sql: "v", descending: false }, { sql: "rid", descending: false }]],
    ["v descending", [{ sql: RANK, descending: true }, { sql: "v", descending: true }, { sql: "rid", descending: false }]],
    ["v descending, w ascending", [{ sql: RANK, descending: true }, { sql: "v", descending: true }, { sql: "coalesce(w, -1)", descending: false }, { sql: "rid", descending: false }]],
  ];

  it.each(orders)("returns the rows of one ORDER BY, in its order: %s", (_name, order) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, fc.integer({ min: 0, max: 2 })), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.boolean(), (rows, pageRows, filtered) => {
        db.exec("DELETE FROM t");
        const insert = db.prepare("INSERT INTO t (v, w) VALUES (?, ?)");
        for (const [v, w] of rows) insert.run(v, w);
        const where = filtered ? "w <> ?" : undefined;
        const params = filtered ? [1] : [];
        const orderBy = order.map((term) => `${term.sql}${term.descending ? " DESC" : ""}`).join(", ");
        const expected = db.prepare(`SELECT rid FROM t${where ? ` WHERE ${where}` : ""} ORDER BY ${orderBy}`).all(...params).map((row) => (row as { rid: number }).rid);
        const actual = Array.from(keysetScan({ columns: "rid", table: "t", where, params, order }, keysetOnly(), pageRows), (row) => row.rid);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("seeks the index for every page and never uses OFFSET", () => {
    db.exec("DELETE FROM t");
    const insert = db.prepare("INSERT INTO t (v, w) VALUES (?, ?)");
    for (let i = 0; i < 20; i++) insert.run(i % 4 === 0 ? null : i % 3 === 0 ? `s${i}` : i % 5, i);
    const statements: string[] = [];
    const order = orders[1]![1];
    Array.from(keysetScan({ columns: "rid", table: "t", params: [], order }, keysetOnly((sql, params) => (statements.push(sql), run(sql, params))), 2));
    expect(statements.length).toBeGreaterThan(10);
    statements.forEach((sql, i) => {
      expect(sql).not.toMatch(/OFFSET/i);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...new Array((sql.match(/\?/g) ?? []).length).fill(0)) as Array<{ detail: string }>).map((step) => step.detail).join("; ");
      // The first page reads the index from its start; every later one seeks into it, and none sorts.
      expect(plan).toMatch(i === 0 ? /SCAN t USING (COVERING )?INDEX t_v/ : /SEARCH t USING (COVERING )?INDEX t_v/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    });
  });

  it("writes the page size into the SQL (a bound LIMIT makes SQLite compile the statement again on every call), whole numbers only", () => {
    const query = { columns: "rid", table: "t", params: [], order: orders[0]![1] };
    const statements: string[] = [];
    Array.from(keysetScan(query, keysetOnly((sql, params) => (statements.push(sql), run(sql, params))), 3));
    expect(statements[0]).toMatch(/ LIMIT 3$/);
    for (const size of [0, 2.5, Number.NaN]) expect(() => Array.from(keysetScan(query, keysetOnly(), size))).toThrow(RangeError);
  });
});
