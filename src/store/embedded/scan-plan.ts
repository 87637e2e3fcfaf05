/**
 * How the embedded engine reads the rows a filter and a sort ask for: by primary key when the
 * filter pins `_id` down, narrowed by SQL where the columns and indexes answer (see pushdown),
 * and in the order SQLite can produce from its indexes. Pure: the plan is SQL text and values,
 * run by the keyset scan.
 */
import { ObjectId } from "bson";
import type { Doc, Filter, SortSpec } from "../store.js";
import { idKey } from "./codec.js";
import { type Layout, rankSql } from "./columns.js";
import type { OrderTerm, SqlValue } from "./keyset-scan.js";
import { pushdown } from "./pushdown.js";

export interface ScanPlan {
  /** The primary keys to look up, when the filter pins `_id` down and no SQL order is asked. */
  ids?: string[];
  /** SQL that narrows the rows; it may select too many, never too few, unless `exact`. */
  where?: string;
  params: SqlValue[];
  /** The SQL (or the primary key) answers the whole filter, so rows need no second test. */
  exact: boolean;
  /** The order rows come in: the requested sort when `sorted`, otherwise insertion order. */
  order: OrderTerm[];
  /** Rows come in the requested sort; when false and a sort was asked, the caller sorts them. */
  sorted: boolean;
}

export interface ScanContext {
  layout: Layout;
  /** Paths of single-valued (non-multikey) indexes: SQL can order and match on them exactly. */
  indexedPaths: Set<string>;
  /** Whether every stored `_id` sorts by its key text as MongoDB sorts it (a probe of the table). */
  idTextSortsAsBson(): boolean;
}

/** Insertion order: the row id. */
export const INSERTION_ORDER: OrderTerm[] = [{ sql: "rid", descending: false }];
/** `{_id: 1}`, answered by the primary key, whose values are unique. */
const ID_ORDER: OrderTerm[] = [{ sql: "id", descending: false }];

export function planScan(filter: Filter, sort: SortSpec | undefined, context: ScanContext): ScanPlan {
  const order = sqlOrder(sort, context);
  const ids = order ? undefined : idLookup(filter);
  if (ids) {
    // Only `_id` in the filter: the primary key answers it exactly.
    return { ids: [...new Set(ids.map(idKey))], params: [], exact: Object.keys(filter).length === 1, order: INSERTION_ORDER, sorted: !sort };
  }
  const narrowed = pushdown(filter, context.indexedPaths, context.layout);
  return {
    where: narrowed?.where,
    params: narrowed?.params ?? [],
    exact: Object.keys(filter).length === 0 || (narrowed?.exact ?? false),
    order: order ?? INSERTION_ORDER,
    sorted: !sort || order !== undefined,
  };
}

/**
 * The SQL order of a sort, when SQLite can produce it: `_id` by the primary key while its text
 * sorts as MongoDB sorts the ids; single-valued indexed paths by type rank (MongoDB's order of
 * types) then value, as the indexes hold them; the row id breaks ties.
 */
function sqlOrder(sort: SortSpec | undefined, context: ScanContext): OrderTerm[] | undefined {
  if (!sort) return undefined;
  const keys = Object.entries(sort);
  if (keys.length === 0) return undefined;
  if (keys.length === 1 && sort._id === 1 && context.idTextSortsAsBson()) return ID_ORDER;
  const answerable = ([path]: [string, unknown]) => (path === "_id" ? true : context.indexedPaths.has(path) && context.layout.byPath.has(path));
  if (!keys.every(answerable) || ("_id" in sort && !context.idTextSortsAsBson())) return undefined;
  const terms = keys.flatMap(([path, direction]): OrderTerm[] => {
    const descending = direction === -1;
    if (path === "_id") return [{ sql: "id", descending }];
    const column = context.layout.byPath.get(path)!;
    return [
      { sql: rankSql(column), descending },
      { sql: `"${column.name}"`, descending },
    ];
  });
  return [...terms, ...INSERTION_ORDER];
}

/** The `_id` values a filter pins down (`{_id: v}`, `{_id: {$eq: v}}` or `{_id: {$in: [...]}}`), if any. */
export function idLookup(filter: Filter): unknown[] | undefined {
  if (!("_id" in filter)) return undefined;
  const id = filter._id;
  if (id === null || id === undefined) return undefined;
  if (isKeyValue(id)) return [id];
  if (typeof id === "object" && !(id instanceof Date)) {
    const keys = Object.keys(id);
    if (keys.length === 1 && keys[0] === "$in" && Array.isArray((id as Doc).$in)) {
      const values = (id as { $in: unknown[] }).$in;
      if (values.every(isKeyValue)) return values;
    }
    if (keys.length === 1 && keys[0] === "$eq") return idLookup({ _id: (id as Doc).$eq });
  }
  return undefined;
}

function isKeyValue(value: unknown): boolean {
  return value instanceof ObjectId || typeof value === "string" || typeof value === "number";
}
