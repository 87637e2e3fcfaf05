/**
 * How rows become documents: the whole stored document, or only the paths a query reads. Paths
 * with a hot column are rebuilt from the column and its type letter, without touching JSON; the
 * `_id` comes from the row's key; any other path is cut out of the document by SQLite.
 */
import type { Doc } from "../store.js";
import { decodeDoc, revive } from "./codec.js";
import { CELL, type CellValue, type HotColumn, type Layout, valueOfCell } from "./columns.js";
import { hasJsonPath, jsonPath } from "./sql-names.js";

export interface Row {
  rid: number;
  id: string;
  [column: string]: string | number | null;
}

export interface RowReader {
  /** The SQL select list after `rid, id`. */
  columns: string;
  read(row: Row): Doc;
}

export const WHOLE_DOCUMENT: RowReader = { columns: "doc", read: (row) => decodeDoc<Doc>(row.doc as string) };

/**
 * Cutting a few paths out in SQL beats parsing the whole document in JavaScript; past a handful
 * the per-path JSON work in SQLite costs more than it saves (measured: 3 paths 25% faster, 9
 * paths 2x slower). Columns cost no JSON work, so only the other paths count.
 */
const MAX_JSON_PATHS = 4;

export function readerFor(paths: string[] | undefined, layout: Layout): RowReader {
  if (!paths) return WHOLE_DOCUMENT;
  const columns = paths.map((path) => layout.byPath.get(path)).filter((column): column is HotColumn => column !== undefined);
  const json = paths.filter((path) => path !== "_id" && !layout.byPath.has(path));
  if (json.length > MAX_JSON_PATHS || !json.every((path) => hasJsonPath(path))) return WHOLE_DOCUMENT;
  const withId = paths.includes("_id") && !layout.byPath.has("_id");
  const select = ["ctypes", ...columns.map((column, i) => `"${column.name}" AS c${i}`)];
  if (json.length) select.push(partialColumnSql(json));
  // A column whose path lies across an array cannot rebuild it: such a row is read whole. Only a
  // dotted path can (a top-level field has no prefix to hold an array).
  const dotted = columns.filter((column) => column.segments.length > 1);
  if (dotted.length) select.push(`CASE WHEN ${dotted.map((column) => `substr(ctypes, ${column.position}, 1) = '${CELL.acrossArray}'`).join(" OR ")} THEN doc END AS whole`);
  const jsonSegments = json.map((path) => path.split("."));
  return {
    columns: select.join(", "),
    read(row) {
      if (row.whole) return decodeDoc<Doc>(row.whole as string);
      const doc = json.length ? decodePartial(row.partial as string, jsonSegments) : {};
      if (json.length && (row.partial as string).charCodeAt(0) === 123 /* { */) return doc;
      const types = row.ctypes as string;
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i]!;
        const value = valueOfCell(types[column.position - 1] ?? "", row[`c${i}`] as CellValue);
        if (value !== undefined) setPath(doc, column.segments, value);
      }
      if (withId) doc._id = decodeDoc(row.id);
      return doc;
    },
  };
}

function setPath(doc: Doc, segments: string[], value: unknown): void {
  let node = doc;
  for (let s = 0; s < segments.length - 1; s++) node = (node[segments[s]!] ??= {}) as Doc;
  node[segments[segments.length - 1]!] = value;
}

/**
 * One SQL column, `partial`, read with one JSON.parse per row: `[present, value, …]` per path
 * (`1,<json>` or `0,0` when missing, so a missing path and a null stay apart). Where a prefix of
 * a path holds an array, MongoDB would traverse it, so that row yields its whole document instead.
 * Text concatenation of `->` results costs SQLite far less than building JSON arrays (measured:
 * 0.9 s instead of 1.6 s for four paths over 200,000 documents).
 */
function partialColumnSql(paths: string[]): string {
  const prefixes = new Set(paths.flatMap((path) => path.split(".").slice(0, -1).map((_, i, segments) => segments.slice(0, i + 1).join("."))));
  const fields = paths.map((path) => `ifnull('1,' || (doc -> '${jsonPath(path)}'), '0,0')`).join(" || ',' || ");
  const partial = `'[' || ${fields} || ']'`;
  if (prefixes.size === 0) return `${partial} AS partial`;
  const anyArray = [...prefixes].map((prefix) => `json_type(doc, '${jsonPath(prefix)}') = 'array'`).join(" OR ");
  return `CASE WHEN ${anyArray} THEN doc ELSE ${partial} END AS partial`;
}

/** The document of a `partial` column: `[present, value, …]` in the order of `paths`, or a whole document. */
function decodePartial(text: string, paths: string[][]): Doc {
  if (text.charCodeAt(0) === 123 /* { */) return decodeDoc<Doc>(text);
  const values = JSON.parse(text) as unknown[];
  const doc: Doc = {};
  for (let i = 0; i < paths.length; i++) {
    if (values[2 * i] === 0) continue;
    setPath(doc, paths[i]!, revive(values[2 * i + 1]));
  }
  return doc;
}
