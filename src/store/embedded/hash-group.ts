/**
 * A hash aggregate for SQLite, which has none: its GROUP BY sorts every row before it aggregates,
 * and over a million rows the sort took most of the query's time (1.5 s against 0.9 s this way).
 * The aggregate function `lexi_hash_group(…)` hands each row's arguments to the fold of the
 * statement running it, which keeps its groups in JavaScript Maps. A fold is described by plain
 * data (`FoldSpec`) and yields plain data (`PartialGroup`s), so a worker thread can fold some
 * chunks of a table while this thread folds the others.
 *
 * The arguments of a row: its type letters (`ctypes`), the other key arguments, the accumulated
 * columns, then where it appears (its rowid, or rowid and element).
 */
import type Database from "better-sqlite3";
import { type CompensatedSum, addTo } from "./compensated-sum.js";

export const HASH_GROUP_FUNCTION = "lexi_hash_group";

export type RowFold = (args: unknown[]) => void;

/** How a key argument becomes a grouping value. */
export type KeyValue =
  | { kind: "as passed" }
  /** A date column's text `{"$date":"YYYY-MM-DDTHH:MM…`: its ISO text's first `length` characters (a UTC day or month). */
  | { kind: "iso prefix"; length: number }
  /** A date column's UTC hour and quarter of an hour. */
  | { kind: "quarter hour" };

export interface FoldSpec {
  /** The key arguments, the type letters first. */
  keys: KeyValue[];
  /** How many accumulated columns follow the keys. */
  values: number;
}

/** The rows that share their type letters and every key's value, folded together. */
export interface PartialGroup {
  /** The grouping values: the row's type letters first, then each key argument's. */
  keys: unknown[];
  count: number;
  /** Per accumulated column, the compensated sum, least and greatest of its numbers. */
  sums: CompensatedSum[];
  least: number[];
  greatest: number[];
  /** Where it first appeared: groups come in order of first appearance. */
  first: number;
}

/** A value of another type than a date's text is passed as it is (its letter then sends the group to the document path). */
function keyValueOf(key: KeyValue): (raw: unknown) => unknown {
  switch (key.kind) {
    case "as passed":
      return (raw) => raw;
    case "iso prefix":
      return (raw) => (typeof raw === "string" ? raw.slice(10, 10 + key.length) : raw);
    case "quarter hour":
      return (raw) => (typeof raw === "string" ? `${raw.slice(10, 23)}:${Math.trunc(Number(raw.slice(24, 26)) / 15)}` : raw);
  }
}

/** A fold and the partial groups it has found, in the order it found them. */
export function newFold(spec: FoldSpec): { add: RowFold; found: PartialGroup[] } {
  const values = spec.keys.map(keyValueOf);
  const keyCount = values.length;
  const valueCount = spec.values;
  // One Map per key argument, nested: no key text is built per row.
  const root = new Map<unknown, unknown>();
  const found: PartialGroup[] = [];
  const add = (args: unknown[]) => {
    let level = root;
    for (let i = 0; i < keyCount - 1; i++) {
      const value = values[i]!(args[i]);
      let next = level.get(value) as Map<unknown, unknown> | undefined;
      if (next === undefined) level.set(value, (next = new Map()));
      level = next;
    }
    const last = values[keyCount - 1]!(args[keyCount - 1]);
    let group = level.get(last) as PartialGroup | undefined;
    if (group === undefined) {
      group = {
        keys: values.map((value, i) => value(args[i])),
        count: 0,
        sums: Array.from({ length: valueCount }, (): CompensatedSum => [0, 0]),
        least: Array.from({ length: valueCount }, () => Infinity),
        greatest: Array.from({ length: valueCount }, () => -Infinity),
        first: Infinity,
      };
      level.set(last, group);
      found.push(group);
    }
    group.count++;
    for (let j = 0; j < valueCount; j++) {
      const value = args[keyCount + j];
      if (typeof value !== "number") continue;
      addTo(group.sums[j]!, value);
      if (value < group.least[j]!) group.least[j] = value;
      if (value > group.greatest[j]!) group.greatest[j] = value;
    }
    const at = args[keyCount + valueCount] as number;
    if (at < group.first) group.first = at;
  };
  return { add, found };
}

export class HashGroupFunction {
  private fold: RowFold | undefined;

  constructor(db: Database.Database) {
    db.aggregate(HASH_GROUP_FUNCTION, {
      varargs: true,
      // Only lexi's own statements call it: never a view or a trigger of a store file.
      directOnly: true,
      start: null,
      step: (_state: unknown, ...args: unknown[]) => {
        if (!this.fold) throw new Error(`${HASH_GROUP_FUNCTION}() is called by lexi's group reads only`);
        this.fold(args);
      },
      result: () => null,
    });
  }

  /** Runs `statement`, which selects `lexi_hash_group(…)`, folding its rows by `spec`. */
  run(statement: Database.Statement, params: unknown[], spec: FoldSpec): PartialGroup[] {
    const fold = this.open(spec);
    fold.read(statement, params);
    return fold.found;
  }

  /** A fold by `spec` that several runs of statements (over parts of a table) add to. */
  open(spec: FoldSpec): { read: (statement: Database.Statement, params: unknown[]) => void; found: PartialGroup[] } {
    const { add, found } = newFold(spec);
    const read = (statement: Database.Statement, params: unknown[]) => {
      this.fold = add;
      try {
        statement.get(...params);
      } finally {
        this.fold = undefined;
      }
    };
    return { read, found };
  }
}
