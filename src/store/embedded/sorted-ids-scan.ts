/**
 * The rest of an ordered scan whose order SQLite cannot take from the index that answers its
 * filter (insertion order over a date range, say). Paged by keyset, each page would search and
 * sort every matching row again, a cost that grows with the square of the matches (measured: 29
 * pages of 512 over 14,649 matching interactions, 435 ms; read by id, 240 ms). Here the ids of
 * the matching rows after the first page are read once, sorted once, then the rows a page at a
 * time by id. A page tests the filter again, so a row changed between pages to no longer match is
 * not returned; rows inserted after the ids were read are not seen (a MongoDB cursor promises no
 * more).
 */
import { type KeyedRow, type KeysetQuery, type SqlRunner, type SqlValue, orderBy } from "./keyset-scan.js";

/** The rows after `after` (a condition on the order's terms) in order; `query.columns` must include `rid`. */
export function* restById(query: KeysetQuery, runner: SqlRunner, after: { sql: string; params: SqlValue[] }, pageRows: number): Generator<KeyedRow> {
  const where = query.where ? `(${query.where}) AND (${after.sql})` : after.sql;
  const ids = runner.ids(`SELECT rid FROM "${query.table}" WHERE ${where} ORDER BY ${orderBy(query.order)}`, [...query.params, ...after.params]);
  // One statement for every page: the page's ids arrive as one JSON array. NOT INDEXED keeps
  // SQLite on the row-id lookups instead of the filter's index.
  const page = `SELECT ${query.columns} FROM "${query.table}" NOT INDEXED WHERE rid IN (SELECT value FROM json_each(?))${query.where ? ` AND (${query.where})` : ""}`;
  for (let start = 0; start < ids.length; start += pageRows) {
    const wanted = ids.slice(start, start + pageRows);
    const byId = new Map(runner.rows(page, [JSON.stringify(wanted), ...query.params]).map((row) => [row.rid as number, row]));
    for (const id of wanted) {
      const row = byId.get(id);
      if (row) yield row;
    }
  }
}
