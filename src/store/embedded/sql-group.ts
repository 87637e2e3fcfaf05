/**
 * The native `$group` of fast-group.ts, answered over hot columns when every key and accumulated
 * path has one: counts, sums and averages (compensated as the document path adds them, see
 * compensated-sum.ts), least and greatest values, and the sums of fast-group.ts's measures (array
 * lengths, non-empty arrays, subdocuments present); constant key parts need no column. No document
 * is read or decoded.
 *
 * SQLite scans the rows and hands each one's plain columns to a hash aggregate (hash-group.ts),
 * which groups them by each key's value (a date key by its UTC day or month, or elsewhere by its
 * UTC quarter hour) and by the row's type letters (`ctypes`): no condition is evaluated per row.
 * The letters then tell, per partial group, which values are numbers; a partial group holding a
 * value SQL cannot treat as MongoDB does (a path across an array, a non-number under $min/$max, a
 * non-date or a year outside 0–9999 under $dateToString) makes the caller take the document path
 * instead. The partial groups, never coarser than MongoDB's, are merged by MongoDB's rules.
 *
 * After an `$unwind` of a path with a column holding arrays, each row is joined with its array's
 * elements (json_each), and keys may be plain fields of the element; a row whose value there is
 * not an array, missing or null sends the whole group to the document path.
 */
import type { Doc } from "../store.js";
import { CELL, type CellValue, type HotColumn, type Layout, valueOfCell } from "./columns.js";
import type { CompensatedSum } from "./compensated-sum.js";
import { type AverageState, type FieldRef, type GroupPlan, type KeyPart, type State, isConstant, mergeGroups } from "./fast-group.js";
import type { FoldSpec, KeyValue, PartialGroup } from "./hash-group.js";

export interface SqlGroup {
  /** The arguments of the hash aggregate, for `SELECT lexi_hash_group(args) FROM table [join] [WHERE …]`. */
  args: string;
  /** After an `$unwind`, the join of each row with its array's elements (`e`). */
  join: string;
  /** The rows SQL cannot answer as MongoDB does (an unwound value it cannot take apart, a measured field of a type the measure leaves to MongoDB's rules): any of them sends the group to the document path. */
  needsDocuments?: string;
  /** How the hash aggregate folds the rows. */
  spec: FoldSpec;
  /** The groups from the partial groups the rows were folded into (undefined when one needs the document path). */
  finish(partials: PartialGroup[]): Doc[] | undefined;
}

/** A key argument: its SQL, and how its grouping value is taken from what SQL passes. */
interface KeyArgument {
  sql: string;
  value: KeyValue;
}

const NEEDS_DOCUMENTS = Symbol("needs documents");
/** More elements than any stored array holds (a document stays under 16 MiB). */
const MAX_ELEMENTS = 16 * 1024 * 1024;
const AS_PASSED: KeyValue = { kind: "as passed" };

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

/**
 * The rows whose value in `column` is none of: a missing field, null, another of `letters`, or
 * JSON text opening with `opening` (an array or a subdocument).
 */
function neither(column: HotColumn, opening: "[" | "{", letters: string[] = []): string {
  const letter = `substr(ctypes, ${column.position}, 1)`;
  const plain = [CELL.json, CELL.missing, CELL.null, ...letters].map((known) => `'${known}'`).join(", ");
  return `${letter} NOT IN (${plain}) OR (${letter} = '${CELL.json}' AND substr(${quoted(column)}, 1, 1) <> '${opening}')`;
}
/** The instant a UTC day or month text starts at, completed from this template. */
const UTC_START = "0000-01-01T00:00:00.000Z";

export function sqlGroup(plan: GroupPlan, layout: Layout): SqlGroup | undefined {
  const unwound = plan.unwind ? layout.byPath.get(plan.unwind.join(".")) : undefined;
  if (plan.unwind && !unwound) return undefined;
  const columnOf = (field: FieldRef) => (field.fromElement ? undefined : layout.byPath.get(field.segments.join(".")));
  const keys: Array<[string | undefined, KeyPart]> = plan.key === null ? [] : Array.isArray(plan.key) ? plan.key : [[undefined, plan.key]];
  // The row's type letters group first: every letter a reader checks is then the same across a group.
  const keyArguments: KeyArgument[] = [{ sql: "ctypes", value: AS_PASSED }];
  const keyArgument = (sql: string, value: KeyValue = AS_PASSED): number => keyArguments.push({ sql, value }) - 1;
  const letterOf = (group: PartialGroup, column: HotColumn) => (group.keys[0] as string).charAt(column.position - 1);

  const keyReaders: Array<(group: PartialGroup) => unknown> = [];
  for (const [, field] of keys) {
    if (isConstant(field)) {
      keyReaders.push(() => field.constant);
      continue;
    }
    if (field.fromElement) {
      // A field of the unwound element, a plain name (a longer path could cross arrays inside it).
      const name = field.segments.length === 1 && !field.date ? field.segments[0]! : undefined;
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
      const letter = keyArgument(elementLetter(name));
      const value = keyArgument(`CASE WHEN e.type = 'object' THEN json_extract(e.value, '$.${name}') END`);
      keyReaders.push((group) => (group.keys[letter] === CELL.acrossArray ? NEEDS_DOCUMENTS : valueOfCell(group.keys[letter] as string, group.keys[value] as CellValue)));
      continue;
    }
    const column = columnOf(field);
    if (!column || (field.date && !field.date.quarterHourly)) return undefined;
    const date = field.date;
    if (!date) {
      const value = keyArgument(quoted(column));
      keyReaders.push((group) => {
        const letter = letterOf(group, column);
        return letter === CELL.acrossArray ? NEEDS_DOCUMENTS : valueOfCell(letter, group.keys[value] as CellValue);
      });
      continue;
    }
    const prefix = date.isoPrefix;
    const value = keyArgument(quoted(column), prefix ? { kind: "iso prefix", length: prefix } : { kind: "quarter hour" });
    keyReaders.push((group) => {
      const text = String(group.keys[value]);
      // A year written with a sign lies outside 0–9999.
      if (letterOf(group, column) !== CELL.date || text.startsWith("+") || text.startsWith("-")) return NEEDS_DOCUMENTS;
      if (prefix) return date.text(new Date(text + UTC_START.slice(text.length))) ?? NEEDS_DOCUMENTS;
      const [hour, quarter] = text.split(":");
      return date.text(new Date(`${hour}:${String(Number(quarter) * 15).padStart(2, "0")}:00.000Z`)) ?? NEEDS_DOCUMENTS;
    });
  }

  // Each accumulated value is passed once, however many accumulators read it.
  const values: string[] = [];
  const valueArgument = (sql: string): number => {
    const known = values.indexOf(sql);
    return known >= 0 ? known : values.push(sql) - 1;
  };
  /** Rows SQL cannot answer as MongoDB does: any of them sends the group to the document path. */
  const oddRows: string[] = [];
  const stateReaders: Array<(group: PartialGroup) => State | typeof NEEDS_DOCUMENTS> = [];
  for (const [, accumulator] of plan.accumulators) {
    if (accumulator.kind === "constant") {
      stateReaders.push((group) => group.count * accumulator.value);
      continue;
    }
    const column = columnOf(accumulator.field);
    if (!column) return undefined;
    const measure = accumulator.field.measure;
    if (measure) {
      let at: number;
      if (measure === "presence") {
        // A subdocument counts; a missing field, null or false does not; the document path judges anything else.
        at = valueArgument(`(substr(ctypes, ${column.position}, 1) = '${CELL.json}')`);
        oddRows.push(neither(column, "{", [CELL.false]));
      } else {
        // An array's JSON text is measured in SQL; a missing or null field holds NULL, which adds
        // nothing, as an empty array would. Anything else is an error of `$size` the document path raises.
        const length = `json_array_length(${quoted(column)})`;
        at = valueArgument(measure === "size" ? length : `(${length} > 0)`);
        oddRows.push(neither(column, "["));
      }
      stateReaders.push((group) => [...group.sums[at]!]);
      continue;
    }
    const at = valueArgument(quoted(column));
    if (accumulator.kind === "sum" || accumulator.kind === "avg") {
      // Values other than numbers add nothing, except across an array, which the document path reads.
      const isAverage = accumulator.kind === "avg";
      stateReaders.push((group): State | typeof NEEDS_DOCUMENTS => {
        const letter = letterOf(group, column);
        if (letter === CELL.acrossArray) return NEEDS_DOCUMENTS;
        const numbers = letter === CELL.number;
        const sum: CompensatedSum = numbers ? [...group.sums[at]!] : [0, 0];
        return isAverage ? ({ sum, count: numbers ? group.count : 0 } satisfies AverageState) : sum;
      });
      continue;
    }
    // $min/$max order values of any type and skip null and missing ones; this fold orders numbers only.
    const extremes = accumulator.kind === "min" ? "least" : "greatest";
    stateReaders.push((group) => {
      const letter = letterOf(group, column);
      if (letter === CELL.number) return group[extremes][at];
      return letter === CELL.null || letter === CELL.missing ? undefined : NEEDS_DOCUMENTS;
    });
  }

  const named = Array.isArray(plan.key) ? plan.key.map(([name]) => name) : undefined;
  if (unwound) {
    // Anything but an array, a missing field or null (a scalar or a subdocument counts as one element).
    oddRows.push(neither(unwound, "["));
  }
  return {
    // The row's type letters and keys, the accumulated values, then where it appears.
    args: [...keyArguments.map((argument) => argument.sql), ...values, unwound ? `rid * ${MAX_ELEMENTS} + e.key` : "rid"].join(", "),
    // Missing and null values hold NULL, which json_each reads as no element, as $unwind drops them.
    join: unwound ? `, json_each(${quoted(unwound)}) AS e` : "",
    ...(oddRows.length ? { needsDocuments: oddRows.map((condition) => `(${condition})`).join(" OR ") } : {}),
    spec: { keys: keyArguments.map((argument) => argument.value), values: values.length },
    finish(partials) {
      const partial: Array<{ id: unknown; states: State[] }> = [];
      for (const group of [...partials].sort((a, b) => a.first - b.first)) {
        const values = keyReaders.map((read) => read(group));
        const states = stateReaders.map((read) => read(group));
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
