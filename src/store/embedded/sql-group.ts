/**
 * The native `$group` of fast-group.ts, answered by SQLite over hot columns when every key and
 * accumulated path has one: counts, sums and averages (compensated as the document path adds
 * them, see compensated-sum.ts) and least and greatest values. No document is read or decoded.
 *
 * SQLite groups by each key's value (a date key by its UTC day or month, or elsewhere by its UTC
 * quarter hour) and by the type letter of every column the group reads, and aggregates the plain
 * columns: no condition is evaluated per row, which is what the scan's time goes to. The letters
 * then tell, per partial group, which values are numbers; a partial group holding a value SQL
 * cannot treat as MongoDB does (a path across an array, a non-number under $min/$max, a non-date
 * or a year outside 0–9999 under $dateToString) makes the caller take the document path instead.
 * The partial groups, never coarser than MongoDB's, are merged by MongoDB's rules in JavaScript.
 *
 * After an `$unwind` of a path with a column holding arrays, each row is joined with its array's
 * elements (json_each), and keys may be plain fields of the element; a row whose value there is
 * not an array, missing or null sends the whole group to the document path.
 */
import type { Doc } from "../store.js";
import { CELL, type CellValue, type HotColumn, type Layout, valueOfCell } from "./columns.js";
import type { CompensatedSum } from "./compensated-sum.js";
import { type AverageState, type FieldRef, type GroupPlan, type State, mergeGroups } from "./fast-group.js";

export interface SqlGroup {
  /** The select list and GROUP BY clause, for `SELECT … FROM table [join] [WHERE …] GROUP BY …`. */
  select: string;
  /** After an `$unwind`, the join of each row with its array's elements (`e`). */
  join: string;
  groupBy: string;
  /** After an `$unwind`, the rows whose unwound value SQL cannot take apart: any of them sends the group to the document path. */
  needsDocuments?: string;
  /** The groups, or undefined when a row needs the document path. */
  finish(rows: Array<Record<string, CellValue>>): Doc[] | undefined;
}

type SqlRow = Record<string, CellValue>;

const NEEDS_DOCUMENTS = Symbol("needs documents");
/** More elements than any stored array holds (a document stays under 16 MiB). */
const MAX_ELEMENTS = 16 * 1024 * 1024;

/**
 * The type letter of a field of the unwound element `e`: missing in a scalar element, as in
 * MongoDB; an array element, or a subdocument or array value (a Date or an ObjectId is stored as
 * one), is marked as needing the document path.
 */
function elementLetter(name: string): string {
  const types = `WHEN 'null' THEN '${CELL.null}' WHEN 'true' THEN '${CELL.true}' WHEN 'false' THEN '${CELL.false}' WHEN 'integer' THEN '${CELL.number}' WHEN 'real' THEN '${CELL.number}' WHEN 'text' THEN '${CELL.string}' WHEN 'object' THEN '${CELL.acrossArray}' WHEN 'array' THEN '${CELL.acrossArray}'`;
  return `CASE WHEN e.type = 'array' THEN '${CELL.acrossArray}' WHEN e.type <> 'object' THEN '${CELL.missing}' ELSE CASE json_type(e.value, '$.${name}') ${types} ELSE '${CELL.missing}' END END`;
}
const quoted = (column: HotColumn) => `"${column.name}"`;
/** The instant a UTC day or month text starts at, completed from this template. */
const UTC_START = "0000-01-01T00:00:00.000Z";

export function sqlGroup(plan: GroupPlan, layout: Layout): SqlGroup | undefined {
  const unwound = plan.unwind ? layout.byPath.get(plan.unwind.join(".")) : undefined;
  if (plan.unwind && !unwound) return undefined;
  const columnOf = (field: FieldRef) => (field.fromElement ? undefined : layout.byPath.get(field.segments.join(".")));
  const keys: Array<[string | undefined, FieldRef]> = plan.key === null ? [] : Array.isArray(plan.key) ? plan.key : [[undefined, plan.key]];
  const select: string[] = [];
  const groupBy: string[] = [];
  const selected = new Map<string, string>();
  /** The alias of a grouped or aggregated expression, selected once however many readers share it. */
  const term = (sql: string, prefix: string, grouped: boolean): string => {
    let alias = selected.get(sql);
    if (!alias) {
      alias = `${prefix}${selected.size}`;
      selected.set(sql, alias);
      select.push(`${sql} AS ${alias}`);
      if (grouped) groupBy.push(alias);
    }
    return alias;
  };
  const letterOf = (column: HotColumn) => term(`substr(ctypes, ${column.position}, 1)`, "t", true);

  const keyReaders: Array<(row: SqlRow) => unknown> = [];
  for (const [, field] of keys) {
    if (field.fromElement) {
      // A field of the unwound element, a plain name (a longer path could cross arrays inside it).
      const name = field.segments.length === 1 && !field.date ? field.segments[0]! : undefined;
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
      const letter = term(elementLetter(name), "t", true);
      const value = term(`CASE WHEN e.type = 'object' THEN json_extract(e.value, '$.${name}') END`, "k", true);
      keyReaders.push((row) => (row[letter] === CELL.acrossArray ? NEEDS_DOCUMENTS : valueOfCell(row[letter] as string, row[value]!)));
      continue;
    }
    const column = columnOf(field);
    if (!column || (field.date && !field.date.quarterHourly)) return undefined;
    const letter = letterOf(column);
    const date = field.date;
    if (!date) {
      const value = term(quoted(column), "k", true);
      keyReaders.push((row) => (row[letter] === CELL.acrossArray ? NEEDS_DOCUMENTS : valueOfCell(row[letter] as string, row[value]!)));
      continue;
    }
    // `{"$date":"YYYY-MM-DDTHH:MM…`: the ISO text starts at the 11th character.
    const prefix = date.isoPrefix;
    const value = prefix
      ? term(`substr(${quoted(column)}, 11, ${prefix})`, "k", true)
      : term(`substr(${quoted(column)}, 11, 13) || ':' || (CAST(substr(${quoted(column)}, 25, 2) AS INTEGER) / 15)`, "k", true);
    keyReaders.push((row) => {
      const text = String(row[value]);
      // A year written with a sign lies outside 0–9999.
      if (row[letter] !== CELL.date || text.startsWith("+") || text.startsWith("-")) return NEEDS_DOCUMENTS;
      if (prefix) return date.text(new Date(text + UTC_START.slice(text.length))) ?? NEEDS_DOCUMENTS;
      const [hour, quarter] = text.split(":");
      return date.text(new Date(`${hour}:${String(Number(quarter) * 15).padStart(2, "0")}:00.000Z`)) ?? NEEDS_DOCUMENTS;
    });
  }

  const count = term("count(*)", "n", false);
  const stateReaders: Array<(row: SqlRow) => State | typeof NEEDS_DOCUMENTS> = [];
  for (const [, accumulator] of plan.accumulators) {
    if (accumulator.kind === "constant") {
      stateReaders.push((row) => (row[count] as number) * accumulator.value);
      continue;
    }
    const column = columnOf(accumulator.field);
    if (!column) return undefined;
    const letter = letterOf(column);
    if (accumulator.kind === "sum" || accumulator.kind === "avg") {
      // total() is SQLite's compensated sum (compensated-sum.ts). Values other than numbers add
      // nothing, except across an array, which the document path reads.
      const total = term(`total(${quoted(column)})`, "a", false);
      const isAverage = accumulator.kind === "avg";
      stateReaders.push((row): State | typeof NEEDS_DOCUMENTS => {
        if (row[letter] === CELL.acrossArray) return NEEDS_DOCUMENTS;
        const numbers = row[letter] === CELL.number;
        const sum: CompensatedSum = [numbers ? (row[total] as number) : 0, 0];
        return isAverage ? ({ sum, count: numbers ? (row[count] as number) : 0 } satisfies AverageState) : sum;
      });
      continue;
    }
    // $min/$max order values of any type and skip null and missing ones; SQL orders numbers only.
    const extreme = term(`${accumulator.kind}(${quoted(column)})`, "a", false);
    stateReaders.push((row) => {
      if (row[letter] === CELL.number) return row[extreme];
      return row[letter] === CELL.null || row[letter] === CELL.missing ? undefined : NEEDS_DOCUMENTS;
    });
  }
  // Groups come in order of first appearance: by row, then by element within a row.
  select.push(unwound ? `min(rid * ${MAX_ELEMENTS} + e.key) AS first` : "min(rid) AS first");
  const named = Array.isArray(plan.key) ? plan.key.map(([name]) => name) : undefined;
  const unwoundLetter = unwound && `substr(ctypes, ${unwound.position}, 1)`;
  return {
    select: select.join(", "),
    // Missing and null values hold NULL, which json_each reads as no element, as $unwind drops them.
    join: unwound ? `, json_each(${quoted(unwound)}) AS e` : "",
    // Anything but an array, a missing field or null (a scalar or a subdocument counts as one element).
    ...(unwound ? { needsDocuments: `${unwoundLetter} NOT IN ('${CELL.json}', '${CELL.missing}', '${CELL.null}') OR (${unwoundLetter} = '${CELL.json}' AND substr(${quoted(unwound)}, 1, 1) <> '[')` } : {}),
    groupBy: groupBy.length ? `GROUP BY ${groupBy.join(", ")} ORDER BY first` : "",
    finish(rows) {
      const partial: Array<{ id: unknown; states: State[] }> = [];
      for (const row of rows) {
        if (row[count] === 0) continue;
        const values = keyReaders.map((read) => read(row));
        const states = stateReaders.map((read) => read(row));
        if (values.includes(NEEDS_DOCUMENTS) || states.includes(NEEDS_DOCUMENTS)) return undefined;
        let id: unknown = null;
        if (named) id = Object.fromEntries(named.map((name, k) => [name, values[k]]).filter(([, value]) => value !== undefined));
        else if (plan.key !== null) id = values[0] ?? null;
        partial.push({ id, states });
      }
      return [...mergeGroups(plan, partial)];
    },
  };
}
