/**
 * The query and pipeline operators whose result depends on MongoDB's order of values, built on
 * `compareBson` in place of mingo's own: `$lt`, `$lte`, `$gt`, `$gte` and the `$sort` stage, plus
 * the sort behind `find`.
 */
import type { Doc, SortSpec } from "../store.js";
import { compareBson, typeRank } from "./bson-order.js";

type Resolve = (doc: Doc, path: string, options?: { unwrapArray?: boolean }) => unknown;
type QueryOperator = (selector: string, operand: unknown) => (doc: Doc) => boolean;

/**
 * The values a comparison looks at: the field's value, and when it is an array its elements
 * (through as many array levels as the path has segments, since each may cross an array).
 */
function candidates(value: unknown, levels: number, into: unknown[] = []): unknown[] {
  into.push(value);
  if (Array.isArray(value) && levels > 0) for (const element of value) candidates(element, levels - 1, into);
  return into;
}

/**
 * A range operator. A comparison only matches values in the operand's type bracket (all numbers
 * are one), and null's bracket holds a missing field too: `{$lte: null}` and `{$gte: null}` match
 * documents without the field, `{$lt: null}` matches nothing.
 */
function rangeOperator(resolve: Resolve, accept: (order: number) => boolean): QueryOperator {
  return (selector, operand) => {
    const levels = selector.split(".").length;
    const bracket = typeRank(operand);
    return (doc) =>
      candidates(resolve(doc, selector, { unwrapArray: true }), levels).some((value) => typeRank(value) === bracket && accept(compareBson(value, operand)));
  };
}

export function rangeOperators(resolve: Resolve): Record<"$lt" | "$lte" | "$gt" | "$gte", QueryOperator> {
  return {
    $lt: rangeOperator(resolve, (order) => order < 0),
    $lte: rangeOperator(resolve, (order) => order <= 0),
    $gt: rangeOperator(resolve, (order) => order > 0),
    $gte: rangeOperator(resolve, (order) => order >= 0),
  };
}

/** Sorts below null and a missing field: an empty array's sort key. */
const EMPTY_ARRAY = Symbol("empty array");

/**
 * The value a document sorts by on one path: an array sorts by its smallest element ascending
 * and by its largest descending; an empty array sorts before null and missing fields.
 */
function sortKey(value: unknown, direction: 1 | -1): unknown {
  if (!Array.isArray(value)) return value;
  const elements = value.flat(Infinity);
  if (elements.length === 0) return EMPTY_ARRAY;
  return elements.reduce((best, element) => (compareBson(element, best) * direction < 0 ? element : best));
}

function compareKeys(a: unknown, b: unknown): number {
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) return (a === EMPTY_ARRAY ? 0 : 1) - (b === EMPTY_ARRAY ? 0 : 1);
  return compareBson(a, b);
}

const plainOrder = (a: unknown, b: unknown) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
/** Code units from U+D800 up: where UTF-16 order and UTF-8 order part. */
const BEYOND_PLAIN_ORDER = /[\uD800-\uFFFF]/;

/**
 * How to compare one sort field's keys: when all are numbers (none NaN), or all strings without a
 * code unit from U+D800 up, JavaScript's own `<` gives MongoDB's order, faster.
 */
function comparatorFor(keys: unknown[]): (a: unknown, b: unknown) => number {
  if (keys.every((key) => typeof key === "number" && !Number.isNaN(key))) return plainOrder;
  if (keys.every((key) => typeof key === "string" && !BEYOND_PLAIN_ORDER.test(key))) return plainOrder;
  return compareKeys;
}

/** The documents in MongoDB's order for `sort`; equal keys keep their input order. */
export function sortDocs<T extends Doc>(docs: T[], sort: SortSpec, resolve: Resolve): T[] {
  const fields = Object.entries(sort);
  const keyed = docs.map((doc) => ({ doc, keys: fields.map(([path, direction]) => sortKey(resolve(doc, path), direction)) }));
  const comparators = fields.map((_, i) => comparatorFor(keyed.map((entry) => entry.keys[i])));
  keyed.sort((x, y) => {
    for (let i = 0; i < fields.length; i++) {
      const order = comparators[i]!(x.keys[i], y.keys[i]);
      if (order !== 0) return order * fields[i]![1];
    }
    return 0;
  });
  return keyed.map((entry) => entry.doc);
}

type Accumulator = (collection: Doc[], expression: unknown, options: unknown) => unknown;

/**
 * `$min` and `$max` of a group in MongoDB's order of values across types; null and missing
 * values are skipped, and a group with nothing else gives null.
 */
export function extremeAccumulators(push: Accumulator): Record<"$min" | "$max", Accumulator> {
  const extreme = (sign: 1 | -1): Accumulator => (collection, expression, options) => {
    const values = (push(collection, expression, options) as unknown[]).filter((value) => value !== null && value !== undefined);
    if (values.length === 0) return null;
    return values.reduce((best, value) => (compareBson(value, best) * sign > 0 ? value : best));
  };
  return { $min: extreme(-1), $max: extreme(1) };
}
