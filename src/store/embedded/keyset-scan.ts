/**
 * Reads an ordered SQL scan a page at a time, each page starting after the last row of the one
 * before (a keyset), so a long scan costs one index seek per page where `LIMIT … OFFSET` would
 * walk past every row already read. No cursor stays open between pages, so writers can run
 * between them. When no index gives the order together with the filter (insertion order over a
 * date range, say), each page would search and sort every match again; after a first full page
 * the rest is then read by row id (sorted-ids-scan.ts).
 */
import { restById } from "./sorted-ids-scan.js";

export type SqlValue = string | number | null;

/** One term of an ORDER BY: an SQL expression of the row and its direction. */
export interface OrderTerm {
  sql: string;
  descending: boolean;
}

export interface KeysetQuery {
  /** The result columns, without the order terms. */
  columns: string;
  table: string;
  where?: string;
  params: SqlValue[];
  /**
   * The order; the terms together must be unique per row (the row id or the primary key last).
   * A term's value is NULL only where every row with the same earlier terms has NULL there (a
   * hot column is NULL only under the null, missing and across-array type ranks), so nothing
   * sorts after a NULL within its prefix.
   */
  order: OrderTerm[];
}

/** A result row: the query's columns, then the order terms' values as `k0`, `k1`, … */
export type KeyedRow = Record<string, unknown>;

export interface SqlRunner {
  /** The rows a query selects. */
  rows(sql: string, params: SqlValue[]): KeyedRow[];
  /** The row ids a query selects (its only column), in its order. */
  ids(sql: string, params: SqlValue[]): number[];
  /** Whether SQLite sorts every matching row to answer the query: no index gives its order with its filter. */
  sortsAll(sql: string, params: SqlValue[]): boolean;
}

/**
 * The rows in order. After a page ending at key K, the rest are, in order: the rows equal to K on
 * every term but the last and beyond it on the last, then those equal on all but the last two and
 * beyond on the one before, and so on up to the first term. Each of those is one seekable range:
 * an equality prefix and one inequality.
 */
export function* keysetScan(query: KeysetQuery, runner: SqlRunner, pageRows: number): Generator<KeyedRow> {
  const { order } = query;
  const page = (conditions: string[], values: SqlValue[]): KeyedRow[] => runner.rows(pageSql(query, pageRows, conditions), [...query.params, ...values]);
  const firstPage = pageSql(query, pageRows);
  let rows = runner.rows(firstPage, query.params);
  let last = rows[rows.length - 1];
  let level = rows.length === pageRows ? order.length - 1 : -1;
  yield* rows;
  if (level >= 0 && runner.sortsAll(firstPage, query.params)) {
    yield* restById(query, runner, afterKey(order, last!), pageRows);
    return;
  }
  while (level >= 0) {
    const bound = last![`k${level}`] as SqlValue;
    // Nothing sorts after a NULL within its prefix (see KeysetQuery.order).
    rows = bound === null ? [] : page(...after(order, last!, level));
    yield* rows;
    if (rows.length === pageRows) {
      last = rows[rows.length - 1];
      level = order.length - 1;
    } else {
      level--;
    }
  }
}

/**
 * The SQL of a page: the rows past `conditions` (none for the first page), at most `pageRows` of
 * them. The limit is written into the SQL: SQLite plans with a bound LIMIT's value, so it compiles
 * the statement again each time the limit is bound (measured: a one-row page, 11 µs with a literal
 * limit, 65 µs with `LIMIT ?`).
 */
export function pageSql(query: KeysetQuery, pageRows: number, conditions: string[] = []): string {
  const keys = query.order.map((term, i) => `${term.sql} AS k${i}`).join(", ");
  // The terms a page fixes by equality stay out of its ORDER BY: SQLite does not see that an
  // expression held equal is constant, and would sort every remaining row in a temporary B-tree.
  const order = orderBy(query.order.slice(Math.max(0, conditions.length - 1)));
  const where = query.where ? [`(${query.where})`, ...conditions] : conditions;
  return `SELECT ${query.columns}, ${keys} FROM "${query.table}"${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ${sqlLimit(pageRows)}`;
}

/** A row count as SQL text; only a positive safe integer, so nothing else reaches the SQL. */
function sqlLimit(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`a page holds a positive whole number of rows, not ${rows}`);
  return String(rows);
}

/** The terms as an ORDER BY list. */
export function orderBy(terms: OrderTerm[]): string {
  return terms.map((term) => `${term.sql}${term.descending ? " DESC" : ""}`).join(", ");
}

/** The condition "after `last` in the order", as one disjunction of the seekable ranges. */
export function afterKey(order: OrderTerm[], last: KeyedRow): { sql: string; params: SqlValue[] } {
  const ranges: string[] = [];
  const params: SqlValue[] = [];
  for (let level = order.length - 1; level >= 0; level--) {
    // Nothing sorts after a NULL within its prefix (see KeysetQuery.order).
    if (last[`k${level}`] === null) continue;
    const [conditions, values] = after(order, last, level);
    ranges.push(`(${conditions.join(" AND ")})`);
    params.push(...values);
  }
  return { sql: ranges.length ? ranges.join(" OR ") : "0", params };
}

/** Equal to `last` on the terms before `level`, beyond it on the term at `level`. */
function after(order: OrderTerm[], last: KeyedRow, level: number): [string[], SqlValue[]] {
  const conditions: string[] = [];
  const values: SqlValue[] = [];
  for (let i = 0; i < level; i++) {
    const value = last[`k${i}`] as SqlValue;
    conditions.push(value === null ? `${order[i]!.sql} IS NULL` : `${order[i]!.sql} = ?`);
    if (value !== null) values.push(value);
  }
  const term = order[level]!;
  conditions.push(`${term.sql} ${term.descending ? "<" : ">"} ?`);
  values.push(last[`k${level}`] as SqlValue);
  return [conditions, values];
}
