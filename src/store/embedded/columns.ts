/**
 * Hot fields as real columns. Each collection's table keeps, beside the document (the source of
 * truth), one column per hot path holding what `json_extract(doc, path)` would return, so the
 * SQL indexes, filters and sorts on those paths never parse JSON. A `ctypes` column holds one
 * letter per hot column telling the value's type, so a document can be rebuilt from the columns
 * alone (a boolean and the number 1, a null and a missing field, a string and a Date stay apart).
 */
import { ObjectId } from "bson";
import type { Doc } from "../store.js";
import { decodeDoc, encodeDoc, isPlainObject } from "./codec.js";

/** Type letters of the `ctypes` column. */
export const CELL = {
  missing: "m",
  null: "z",
  number: "n",
  string: "s",
  true: "t",
  false: "f",
  date: "d",
  objectId: "o",
  /** An object or array, stored as its JSON text. */
  json: "j",
  /** A prefix of the path holds an array: MongoDB would look inside it, so the row is read whole. */
  acrossArray: "a",
} as const;

/**
 * Each letter's place in MongoDB's order of types (null and missing share one). SQLite orders
 * NULL, numbers, then text: booleans (stored 1/0) would sit among the numbers, and strings,
 * subdocuments, ObjectIds and dates (all text) would mix. Indexes and sorts on a column lead
 * with this rank, so SQLite's order is MongoDB's. Within the subdocument rank the JSON text
 * decides, an approximation of MongoDB's field-by-field order; arrays never reach a scalar index.
 */
const RANK_OF_LETTER: Record<string, number> = {
  [CELL.number]: 2,
  [CELL.string]: 3,
  [CELL.json]: 4,
  [CELL.acrossArray]: 5,
  [CELL.objectId]: 7,
  [CELL.false]: 8,
  [CELL.true]: 8,
  [CELL.date]: 9,
};

export function rankOfLetter(letter: string): number {
  return RANK_OF_LETTER[letter] ?? 1;
}

export function rankOfValue(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === "boolean") return rankOfLetter(CELL.true);
  if (typeof value === "number") return rankOfLetter(CELL.number);
  if (typeof value === "string") return rankOfLetter(CELL.string);
  if (value instanceof Date) return rankOfLetter(CELL.date);
  if (value instanceof ObjectId) return rankOfLetter(CELL.objectId);
  return rankOfLetter(CELL.json);
}

/** The SQL of a column's type rank: the expression its indexes lead with, written the same everywhere so SQLite matches them. */
export function rankSql(column: HotColumn): string {
  const cases = Object.entries(RANK_OF_LETTER).map(([letter, rank]) => ` WHEN '${letter}' THEN ${rank}`).join("");
  return `(CASE substr(ctypes, ${column.position}, 1)${cases} ELSE 1 END)`;
}

export interface HotColumn {
  path: string;
  segments: string[];
  /** The SQL column name. */
  name: string;
  /** 1-based position of the column's letter in `ctypes`. */
  position: number;
}

export interface Layout {
  columns: HotColumn[];
  byPath: Map<string, HotColumn>;
}

export function makeLayout(rows: Array<{ path: string; name: string }>): Layout {
  const columns = rows.map((row, i) => ({ path: row.path, segments: row.path.split("."), name: row.name, position: i + 1 }));
  return { columns, byPath: new Map(columns.map((column) => [column.path, column])) };
}

/** A SQL column name for a new hot path: its position keeps names apart (`a_b` and `a.b`). */
export function columnName(path: string, position: number): string {
  return `h${position}_${path.replace(/[^A-Za-z0-9_]/g, "_")}`.slice(0, 60);
}

export type CellValue = string | number | null;

/** The letter and SQL value of one path of a document, as `json_extract` sees it. */
export function cellOf(doc: Doc, segments: string[]): [string, CellValue] {
  let value: unknown = doc;
  for (const segment of segments) {
    if (Array.isArray(value)) return [CELL.acrossArray, null];
    if (!isPlainObject(value)) return [CELL.missing, null];
    value = Object.prototype.hasOwnProperty.call(value, segment) ? value[segment] : undefined;
  }
  switch (typeof value) {
    case "undefined":
      return [CELL.missing, null];
    case "number":
      // JSON has no NaN or Infinity: the stored document holds null there.
      return Number.isFinite(value) ? [CELL.number, value] : [CELL.null, null];
    case "string":
      return [CELL.string, value];
    case "boolean":
      return value ? [CELL.true, 1] : [CELL.false, 0];
    default:
      if (value === null) return [CELL.null, null];
      if (value instanceof Date) return [CELL.date, encodeDoc(value)];
      if (value instanceof ObjectId) return [CELL.objectId, encodeDoc(value)];
      return [CELL.json, encodeDoc(value)];
  }
}

/** Every hot column of a document: its `ctypes` text and the column values in layout order. */
export function cellsOf(doc: Doc, layout: Layout): { types: string; values: CellValue[] } {
  let types = "";
  const values: CellValue[] = [];
  for (const column of layout.columns) {
    const [letter, value] = cellOf(doc, column.segments);
    types += letter;
    values.push(value);
  }
  return { types, values };
}

/** The value a column holds back as a document value; undefined for a missing field. */
export function valueOfCell(letter: string, value: CellValue): unknown {
  switch (letter) {
    case CELL.null:
      return null;
    case CELL.number:
    case CELL.string:
      return value;
    case CELL.true:
      return true;
    case CELL.false:
      return false;
    case CELL.date:
      // `{"$date":"…"}`: the ISO text sits between the 10th character and the closing `"}`.
      return new Date((value as string).slice(10, -2));
    case CELL.objectId:
      return new ObjectId((value as string).slice(9, -2));
    case CELL.json:
      return decodeDoc(value as string);
    default:
      return undefined;
  }
}
