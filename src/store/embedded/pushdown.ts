/**
 * Narrows a scan with SQL: top-level equalities and Date ranges on paths of single-valued indexes
 * (which the indexes answer), and `$exists: true` on any path (which skips rows before they are
 * decoded). The SQL only pre-selects rows; mingo still tests every row against the whole filter,
 * so a pushed-down condition may select too much, never too little.
 */
import { ObjectId } from "bson";
import type { Doc, Filter, SortSpec } from "../store.js";
import { jsonPath, jsonPathExpression } from "./embedded-engine.js";

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

function equalityValue(condition: unknown): unknown {
  if (condition && typeof condition === "object" && !(condition instanceof ObjectId) && !(condition instanceof Date)) {
    const keys = Object.keys(condition);
    return keys.length === 1 && keys[0] === "$eq" ? (condition as { $eq: unknown }).$eq : undefined;
  }
  return condition;
}

/**
 * `ORDER BY` for a sort on single-valued indexed paths: SQLite orders numbers, strings and the
 * stored Date/ObjectId text as MongoDB does, with missing values first; `rid` breaks ties.
 */
export function orderBy(sort: SortSpec | undefined, indexedPaths: Set<string>): string | undefined {
  if (!sort) return undefined;
  const keys = Object.entries(sort);
  if (keys.length === 0 || !keys.every(([path]) => indexedPaths.has(path))) return undefined;
  return [...keys.map(([path, direction]) => `${jsonPathExpression(path)}${direction === -1 ? " DESC" : ""}`), "rid"].join(", ");
}

const RANGE_SQL: Record<string, string> = { $gt: ">", $gte: ">=", $lt: "<", $lte: "<=" };

/**
 * Date ranges (`{$gte: Date, $lt: Date}`) on an indexed path: stored Dates read back from
 * json_extract as `{"$date":"…"}` text with fixed-width ISO times, which sorts in time order.
 * Other values can only sort outside or be tested again by mingo, so the range never drops a row
 * MongoDB would match.
 */
function dateRange(path: string, condition: unknown): Pushdown | undefined {
  if (!condition || typeof condition !== "object" || condition instanceof Date || condition instanceof ObjectId) return undefined;
  const entries = Object.entries(condition);
  if (entries.length === 0 || !entries.every(([op, value]) => op in RANGE_SQL && value instanceof Date && !Number.isNaN(value.getTime()))) return undefined;
  return {
    where: entries.map(([op]) => `${jsonPathExpression(path)} ${RANGE_SQL[op]} ?`).join(" AND "),
    params: entries.map(([, value]) => `{"$date":"${(value as Date).toISOString()}"}`),
    exact: false,
  };
}

/**
 * `{path: {$exists: true}}` on any path, as a superset MongoDB's matches fall in: the path holds a
 * value, or a prefix holds an array (MongoDB would look inside it). A last segment that is a
 * number may name an array index or an object key. Rows without the path are then skipped before
 * SQLite builds their columns (pattern detection skips the interactions without errors).
 */
function existsClause(path: string, condition: unknown): string | undefined {
  if (!condition || typeof condition !== "object" || Object.keys(condition).length !== 1 || (condition as Doc).$exists !== true) return undefined;
  const segments = path.split(".");
  const last = segments[segments.length - 1]!;
  const parent = segments.slice(0, -1);
  if (parent.some((segment) => /^\d+$/.test(segment))) return undefined;
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

export function pushdown(filter: Filter, indexedPaths: Set<string>): Pushdown | undefined {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  let exact = true;
  for (const [path, condition] of Object.entries(filter)) {
    const exists = existsClause(path, condition);
    if (exists) {
      clauses.push(exists);
      exact = false;
      continue;
    }
    const range = indexedPaths.has(path) ? dateRange(path, condition) : undefined;
    if (range) {
      clauses.push(range.where);
      params.push(...range.params);
      exact = false;
      continue;
    }
    const raw = equalityValue(condition);
    const value = indexedPaths.has(path) ? sqlValue(raw) : undefined;
    if (value === undefined) {
      exact = false;
      continue;
    }
    clauses.push(`${jsonPathExpression(path)} = ?`);
    params.push(value);
    // json_extract gives booleans as 1/0, so numbers and booleans match each other in SQL:
    // only strings and ObjectIds are answered exactly.
    if (typeof raw === "boolean" || typeof raw === "number") exact = false;
  }
  return clauses.length ? { where: clauses.join(" AND "), params, exact } : undefined;
}
