/**
 * The native `$group` of fast-group.ts, answered by SQLite over hot columns when every key and
 * accumulated path has one: counts, sums and averages (compensated as the document path adds
 * them, see compensated-sum.ts) and least and greatest values. No document is read or decoded.
 * SQLite groups by each key's type letter and value (a date key by its UTC quarter hour), which
 * is never coarser than MongoDB's grouping; the partial groups are then merged by MongoDB's rules
 * in JavaScript. A group that holds a value SQL cannot treat as MongoDB does (a path across an
 * array, a non-number under $min/$max, a non-date under $dateToString) makes the caller take the
 * document path instead.
 */
import type { Doc } from "../store.js";
import { CELL, type CellValue, type HotColumn, type Layout, valueOfCell } from "./columns.js";
import type { CompensatedSum } from "./compensated-sum.js";
import { type AverageState, type FieldRef, type GroupPlan, type State, mergeGroups } from "./fast-group.js";

export interface SqlGroup {
  /** The select list and GROUP BY clause, for `SELECT … FROM table [WHERE …] GROUP BY …`. */
  select: string;
  groupBy: string;
  /** The groups, or undefined when a row needs the document path. */
  finish(rows: Array<Record<string, CellValue>>): Doc[] | undefined;
}

const letter = (column: HotColumn) => `substr(ctypes, ${column.position}, 1)`;
const quoted = (column: HotColumn) => `"${column.name}"`;
const NUMBER = (column: HotColumn) => `CASE WHEN ${letter(column)} = '${CELL.number}' THEN ${quoted(column)} END`;

export function sqlGroup(plan: GroupPlan, layout: Layout): SqlGroup | undefined {
  if (plan.unwind) return undefined;
  const columnOf = (field: FieldRef) => (field.fromElement ? undefined : layout.byPath.get(field.segments.join(".")));
  const keys: Array<[string | undefined, FieldRef]> = plan.key === null ? [] : Array.isArray(plan.key) ? plan.key : [[undefined, plan.key]];
  const select: string[] = [];
  const groupBy: string[] = [];
  const odd: string[] = [];
  const keyReaders: Array<(row: Record<string, CellValue>) => unknown> = [];
  for (const [i, [, field]] of keys.entries()) {
    const column = columnOf(field);
    if (!column || (field.date && !field.date.quarterHourly)) return undefined;
    if (field.date) {
      // `{"$date":"YYYY-MM-DDTHH:MM…`: the hour's text and the minute's quarter.
      select.push(`substr(${quoted(column)}, 11, 13) || ':' || (CAST(substr(${quoted(column)}, 25, 2) AS INTEGER) / 15) AS k${i}`);
      groupBy.push(`k${i}`);
      odd.push(`${letter(column)} <> '${CELL.date}' OR substr(${quoted(column)}, 11, 1) IN ('+', '-')`);
      const date = field.date;
      keyReaders.push((row) => {
        const [hour, quarter] = String(row[`k${i}`]).split(":");
        return date.text(new Date(`${hour}:${String(Number(quarter) * 15).padStart(2, "0")}:00.000Z`)) ?? NEEDS_DOCUMENTS;
      });
    } else {
      select.push(`${letter(column)} AS l${i}`, `${quoted(column)} AS k${i}`);
      groupBy.push(`l${i}`, `k${i}`);
      odd.push(`${letter(column)} = '${CELL.acrossArray}'`);
      keyReaders.push((row) => valueOfCell(row[`l${i}`] as string, row[`k${i}`]!));
    }
  }
  const stateReaders: Array<(row: Record<string, CellValue>) => State> = [];
  for (const [i, [, accumulator]] of plan.accumulators.entries()) {
    if (accumulator.kind === "constant") {
      stateReaders.push((row) => (row.n as number) * accumulator.value);
      continue;
    }
    const column = columnOf(accumulator.field);
    if (!column) return undefined;
    if (accumulator.kind === "sum" || accumulator.kind === "avg") {
      // Values other than numbers add nothing, except across an array, which the document path reads.
      odd.push(`${letter(column)} = '${CELL.acrossArray}'`);
      // total() is SQLite's compensated sum (compensated-sum.ts), 0.0 over no numbers.
      select.push(`total(${NUMBER(column)}) AS a${i}`);
      if (accumulator.kind === "sum") stateReaders.push((row): CompensatedSum => [row[`a${i}`] as number, 0]);
      else {
        select.push(`count(${NUMBER(column)}) AS c${i}`);
        stateReaders.push((row): AverageState => ({ sum: [row[`a${i}`] as number, 0], count: row[`c${i}`] as number }));
      }
      continue;
    }
    // $min/$max order values of any type; SQL does so here only for numbers.
    odd.push(`${letter(column)} NOT IN ('${CELL.number}', '${CELL.null}', '${CELL.missing}')`);
    select.push(`${accumulator.kind}(${NUMBER(column)}) AS a${i}`);
    stateReaders.push((row) => row[`a${i}`] ?? undefined);
  }
  select.push("count(*) AS n", `max(${odd.length ? odd.map((condition) => `(${condition})`).join(" OR ") : "0"}) AS odd`, "min(rid) AS first");
  const named = Array.isArray(plan.key) ? plan.key.map(([name]) => name) : undefined;
  return {
    select: select.join(", "),
    groupBy: groupBy.length ? `GROUP BY ${groupBy.join(", ")} ORDER BY first` : "",
    finish(rows) {
      if (rows.some((row) => row.odd)) return undefined;
      const partial: Array<{ id: unknown; states: State[] }> = [];
      for (const row of rows) {
        if (row.n === 0) continue;
        const values = keyReaders.map((read) => read(row));
        if (values.includes(NEEDS_DOCUMENTS)) return undefined;
        let id: unknown = null;
        if (named) id = Object.fromEntries(named.map((name, k) => [name, values[k]]).filter(([, value]) => value !== undefined));
        else if (plan.key !== null) id = values[0] ?? null;
        partial.push({ id, states: stateReaders.map((read) => read(row)) });
      }
      return [...mergeGroups(plan, partial)];
    },
  };
}

const NEEDS_DOCUMENTS = Symbol("needs documents");
