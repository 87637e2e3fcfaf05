/**
 * Narrows a scan with SQL: top-level equalities and Date ranges on hot columns (which hold what
 * `json_extract` would, and which the indexes are built on), and `$exists: true` on any path
 * (which skips rows before they are decoded). The SQL only pre-selects rows; mingo still tests
 * every row against the whole filter unless the SQL answers it exactly, so a pushed-down
 * condition may select too much, never too little.
 */
import { ObjectId } from "bson";
import type { Doc, Filter } from "../store.js";
import { CELL, type HotColumn, type Layout, rankOfLetter, rankSql } from "./columns.js";
import { hasJsonPath, jsonPath } from "./sql-names.js";

export interface Pushdown {
  where: string;
  params: Array<string | number>;
  /** The SQL answers the whole filter exactly, so rows need no second test. */
  exact: boolean;
}

/** The value json_extract returns for a stored scalar, or undefined when it cannot be compared. */
function sqlValue(value: unknown): string | number | undefined {
  if (typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  // json_extract returns a nested object as its minified JSON text: exactly how ObjectIds are stored.
  if (value instanceof ObjectId) return `{"$oid":"${value.toHexString()}"}`;
  return undefined;
}

function cellLetter(value: unknown): string {
  if (typeof value === "boolean") return value ? CELL.true : CELL.false;
  if (typeof value === "number") return CELL.number;
  return value instanceof ObjectId ? CELL.objectId : CELL.string;
}

function equalityValue(condition: unknown): unknown {
  if (condition && typeof condition === "object" && !(condition instanceof ObjectId) && !(condition instanceof Date)) {
    const keys = Object.keys(condition);
    return keys.length === 1 && keys[0] === "$eq" ? (condition as { $eq: unknown }).$eq : undefined;
  }
  return condition;
}

/** On an indexed column, the type rank the indexes lead with, so SQLite can seek them. */
function rankPrefix(column: HotColumn, rank: number, indexed: boolean): string {
  return indexed ? `${rankSql(column)} = ${rank} AND ` : "";
}

function quoted(column: HotColumn): string {
  return `"${column.name}"`;
}

function letter(column: HotColumn): string {
  return `substr(ctypes, ${column.position}, 1)`;
}

const RANGE_SQL: Record<string, string> = { $gt: ">", $gte: ">=", $lt: "<", $lte: "<=" };

/**
 * Date ranges (`{$gte: Date, $lt: Date}`) on an indexed path: stored Dates read back from
 * json_extract as `{"$date":"…"}` text with fixed-width ISO times, which sorts in time order.
 * Other values can only sort outside or be tested again by mingo, so the range never drops a row
 * MongoDB would match.
 */
function dateRange(column: HotColumn, condition: unknown): Pushdown | undefined {
  if (!condition || typeof condition !== "object" || condition instanceof Date || condition instanceof ObjectId) return undefined;
  const entries = Object.entries(condition);
  if (entries.length === 0 || !entries.every(([op, value]) => op in RANGE_SQL && value instanceof Date && !Number.isNaN(value.getTime()))) return undefined;
  return {
    where: entries.map(([op]) => `${quoted(column)} ${RANGE_SQL[op]} ?`).join(" AND "),
    params: entries.map(([, value]) => `{"$date":"${(value as Date).toISOString()}"}`),
    exact: false,
  };
}

/** More values than this stay with mingo: SQLite caps the parameters of one statement. */
const MAX_IN_VALUES = 10_000;

/**
 * `{$in: [scalars]}` as one `IN` list per stored type (the type letter keeps 1 and true, a string
 * and a Date's text apart), each led on an indexed column by the type rank the index leads with, so
 * the index answers it instead of a scan of the table; lists holding null, arrays, Dates or regular
 * expressions, which MongoDB matches by other rules, stay with mingo.
 */
function inList(column: HotColumn, condition: unknown, indexed: boolean): Pushdown | undefined {
  if (!condition || typeof condition !== "object" || Object.keys(condition).length !== 1) return undefined;
  const values = (condition as Doc).$in;
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_IN_VALUES) return undefined;
  const byLetter = new Map<string, Array<string | number>>();
  for (const value of values) {
    const sql = sqlValue(value);
    if (sql === undefined) return undefined;
    const typeLetter = cellLetter(value);
    const list = byLetter.get(typeLetter);
    if (list) list.push(sql);
    else byLetter.set(typeLetter, [sql]);
  }
  const terms = [...byLetter].map(
    ([typeLetter, list]) => `(${rankPrefix(column, rankOfLetter(typeLetter), indexed)}${quoted(column)} IN (${list.map(() => "?").join(", ")}) AND ${letter(column)} = '${typeLetter}')`,
  );
  return { where: `(${terms.join(" OR ")})`, params: [...byLetter.values()].flat(), exact: true };
}

/**
 * `{path: {$exists: true}}` on any path, as a superset MongoDB's matches fall in: the path holds a
 * value, or a prefix holds an array (MongoDB would look inside it). A last segment that is a
 * number may name an array index or an object key. Rows without the path are then skipped before
 * SQLite builds their columns (pattern detection skips the interactions without errors).
 */
function existsClause(path: string, condition: unknown, layout: Layout): string | undefined {
  if (!condition || typeof condition !== "object" || Object.keys(condition).length !== 1 || (condition as Doc).$exists !== true) return undefined;
  const segments = path.split(".");
  const last = segments[segments.length - 1]!;
  const parent = segments.slice(0, -1);
  const column = layout.byPath.get(path);
  // A column's type letter answers without JSON: present, or a prefix holds an array.
  if (column) return `${letter(column)} <> '${CELL.missing}'`;
  const parentColumn = /^\d+$/.test(last) ? layout.byPath.get(parent.join(".")) : undefined;
  if (parentColumn) {
    // An index or a key of a non-empty array or object (or arrays on the way).
    return `(${letter(parentColumn)} = '${CELL.acrossArray}' OR (${letter(parentColumn)} = '${CELL.json}' AND ${quoted(parentColumn)} NOT IN ('[]', '{}')))`;
  }
  if (parent.some((segment) => /^\d+$/.test(segment)) || !hasJsonPath(segments)) return undefined;
  const here = [`json_type(doc, '${jsonPath(segments)}') IS NOT NULL`];
  let traversed = parent;
  if (/^\d+$/.test(last) && parent.length > 0) {
    here.push(`json_type(doc, '${jsonPath(parent)}[${last}]') IS NOT NULL`);
    // The array holding the index is answered by `[n]`; only arrays above it are traversed.
    traversed = parent.slice(0, -1);
  }
  const arrays = traversed.map((_, i) => `json_type(doc, '${jsonPath(traversed.slice(0, i + 1))}') = 'array'`);
  return `(${[...here, ...arrays].join(" OR ")})`;
}

/**
 * A column condition as a superset of MongoDB's matches. Indexed paths are single-valued (the
 * index promises no arrays), so the condition alone serves and the index answers it; on other
 * columns, rows whose value is an array or lies across one are kept for mingo to test.
 */
function onColumn(column: HotColumn, condition: string, indexed: boolean): string {
  return indexed ? condition : `(${condition} OR ${letter(column)} IN ('${CELL.json}', '${CELL.acrossArray}'))`;
}

export function pushdown(filter: Filter, indexedPaths: Set<string>, layout: Layout): Pushdown | undefined {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  let exact = true;
  for (const [path, condition] of Object.entries(filter)) {
    const exists = existsClause(path, condition, layout);
    if (exists) {
      clauses.push(exists);
      exact = false;
      continue;
    }
    const column = layout.byPath.get(path);
    const indexed = indexedPaths.has(path);
    const range = column ? dateRange(column, condition) : undefined;
    if (range) {
      // With the type letter, a range on an indexed (single-valued) path selects exactly the Dates in it.
      clauses.push(indexed ? `${rankPrefix(column!, rankOfLetter(CELL.date), true)}${range.where} AND ${letter(column!)} = '${CELL.date}'` : onColumn(column!, range.where, false));
      params.push(...range.params);
      if (!indexed) exact = false;
      continue;
    }
    const list = column ? inList(column, condition, indexed) : undefined;
    if (list) {
      clauses.push(onColumn(column!, list.where, indexed));
      params.push(...list.params);
      if (!indexed) exact = false;
      continue;
    }
    const raw = equalityValue(condition);
    const value = column ? sqlValue(raw) : undefined;
    if (value === undefined) {
      exact = false;
      continue;
    }
    // The type letter keeps 1 and true, or a string and a Date's text, apart: exact on indexed paths.
    clauses.push(onColumn(column!, `${rankPrefix(column!, rankOfLetter(cellLetter(raw)), indexed)}${quoted(column!)} = ? AND ${letter(column!)} = '${cellLetter(raw)}'`, indexed));
    params.push(value);
    if (!indexed) exact = false;
  }
  return clauses.length ? { where: clauses.join(" AND "), params, exact } : undefined;
}
