/**
 * MongoDB semantics for the embedded engine, from mingo with script operators disabled
 * (no `$where`, `$function`, `$accumulator`).
 */
import { createRequire } from "node:module";
import type { Options } from "mingo/types";
import { ObjectId } from "bson";
import { InvalidInputError } from "../../errors.js";
import type { Doc, FindOptions, Filter, Pipeline, SortSpec, Update } from "../store.js";
import { compareBson } from "./bson-order.js";
import { compensatedAccumulators } from "./compensated-sum.js";
import { extremeAccumulators, rangeOperators, sortDocs } from "./ordered-operators.js";
import { applyFast, canApplyFast } from "./fast-update.js";
import { isPositional, projectFields, simpleInclusion } from "./fast-projection.js";
import { type ExpressionOperator, localDateToString, localWeekLet } from "./local-date-operators.js";

type Mingo = typeof import("mingo");

interface Engine {
  mingo: Mingo;
  Query: typeof import("mingo/query").Query;
  Aggregator: typeof import("mingo/aggregator").Aggregator;
  resolve: (doc: Doc, path: string, options?: { unwrapArray?: boolean }) => unknown;
  /** Options for mingo's query and aggregation classes, with the operators that follow MongoDB's order. */
  options: Partial<Options>;
}
let loaded: Engine | undefined;

/**
 * mingo, loaded on first use: commands that never test a document in JavaScript (`lexi status`,
 * plain counts, id lookups) skip the cost of loading it, a good part of their start-up.
 */
function engine(): Engine {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  const mingo = load("mingo") as Mingo;
  const resolve = (load("mingo/util") as typeof import("mingo/util")).resolve as (doc: Doc, path: string, options?: { unwrapArray?: boolean }) => unknown;
  const { Lazy } = load("mingo/lazy") as typeof import("mingo/lazy");
  const pipeline = load("mingo/operators/pipeline") as Record<string, unknown>;
  const accumulator = load("mingo/operators/accumulator") as Record<string, unknown>;
  const $sort = (collection: import("mingo/lazy").Iterator, sort: SortSpec) => collection.transform((docs) => Lazy(sortDocs(docs as Doc[], sort, resolve)));
  // mingo's own entry point lets its operators win over custom ones, so the context is built here.
  const context = mingo.Context.init({
    accumulator: { ...accumulator, ...extremeAccumulators(accumulator.$push as never), ...compensatedAccumulators(accumulator.$push as never) },
    expression: withLocalDates(load("mingo/operators/expression") as Record<string, unknown>),
    pipeline: { ...pipeline, $sort },
    projection: load("mingo/operators/projection"),
    query: { ...(load("mingo/operators/query") as object), ...rangeOperators(resolve) },
    window: load("mingo/operators/window"),
  } as unknown as Parameters<typeof mingo.Context.init>[0]);
  const options: Partial<Options> = { ...OPTIONS, context };
  loaded = { mingo, Query: load("mingo/query").Query, Aggregator: load("mingo/aggregator").Aggregator, resolve, options };
  return loaded;
}

function withLocalDates(expression: Record<string, unknown>): Record<string, unknown> {
  return {
    ...expression,
    $dateToString: localDateToString(expression.$dateToString as ExpressionOperator),
    $let: localWeekLet(expression.$let as ExpressionOperator),
  };
}

function mingo(): Mingo {
  return engine().mingo;
}

const OPTIONS: Partial<Options> = { scriptEnabled: false };
// Documents are fresh copies decoded from the store, so updates may assign values in place.
const BY_REFERENCE = { cloneMode: "none" as const };

export function compileFilter(filter: Filter): (doc: Doc) => boolean {
  if (Object.keys(filter).length === 0) return () => true;
  const { Query, options } = engine();
  const query = new Query(filter, options);
  return (doc) => query.test(doc);
}

/** Sort, skip, limit and projection over an in-memory list of documents that matched `filter`, as MongoDB orders values. */
export function shape(docs: Doc[], options: FindOptions, filter: Filter = {}): Doc[] {
  const { Query, options: mingoOptions, resolve } = engine();
  const sorted = options.sort ? sortDocs(docs, options.sort, resolve) : docs;
  const cursor = new Query({}, mingoOptions).find(sorted);
  if (options.skip) cursor.skip(options.skip);
  if (options.limit) cursor.limit(options.limit);
  return project(cursor.all() as Doc[], options.projection, filter);
}

/** A projection of documents that matched `filter`, which a positional projection (`"list.$": 1`) reads. */
export function project(docs: Doc[], projection: Doc | undefined, filter: Filter = {}): Doc[] {
  if (!projection) return docs;
  const simple = simpleInclusion(projection);
  if (simple) return docs.map((doc) => projectFields(doc, simple));
  const { Query, options } = engine();
  return new Query(isPositional(projection) ? filter : {}, options).find(docs, projection).all() as Doc[];
}

export function aggregateStream(pipeline: Pipeline, source: Iterable<Doc>): Iterator<Doc> {
  const { Aggregator, options } = engine();
  const stream = new Aggregator(pipeline, options).stream(source);
  return stream as unknown as Iterator<Doc>;
}

const SUPPORTED_UPDATE_OPERATORS = new Set([
  "$set", "$unset", "$inc", "$push", "$addToSet", "$setOnInsert", "$pull", "$min", "$max", "$currentDate", "$mul", "$rename", "$pop",
]);

function checkUpdate(spec: Update): void {
  const keys = Object.keys(spec);
  if (keys.length === 0 || keys.some((key) => !SUPPORTED_UPDATE_OPERATORS.has(key))) {
    throw new InvalidInputError(`update must use operators (${[...SUPPORTED_UPDATE_OPERATORS].join(", ")}); got ${keys.join(", ") || "nothing"}`);
  }
  for (const [operator, fields] of Object.entries(spec)) {
    if (operator !== "$setOnInsert" && fields && typeof fields === "object" && "_id" in fields) {
      throw new InvalidInputError("the _id of a document cannot be changed");
    }
  }
}

/** Applies an update document in place; `$setOnInsert` applies only when `inserting`. */
export function applyUpdate(doc: Doc, spec: Update, inserting: boolean): boolean {
  checkUpdate(spec);
  const { $setOnInsert, ...rest } = spec as Doc & { $setOnInsert?: Doc };
  let changed = false;
  if (Object.keys(rest).length > 0) {
    changed = canApplyFast(rest) ? applyFast(doc, rest) : mingo().update(doc, rest as never, undefined, undefined, BY_REFERENCE).length > 0;
  }
  if (inserting && $setOnInsert) changed = setFields(doc, $setOnInsert) || changed;
  return changed;
}

function isOperatorObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !(value instanceof ObjectId) &&
    Object.keys(value).some((key) => key.startsWith("$"))
  );
}

/** The document an upsert starts from: the filter's equality fields (MongoDB does the same). */
export function upsertSeed(filter: Filter): Doc {
  const seed: Doc = {};
  const equalities: Doc = {};
  const collect = (condition: Filter) => {
    for (const [key, value] of Object.entries(condition)) {
      if (key === "$and" && Array.isArray(value)) value.forEach((part) => collect(part as Filter));
      else if (!key.startsWith("$") && !isOperatorObject(value)) equalities[key] = value;
      else if (!key.startsWith("$") && isOperatorObject(value) && "$eq" in (value as Doc)) equalities[key] = (value as Doc).$eq;
    }
  };
  collect(filter);
  // mingo's updater refuses to touch _id, so the upserted document's _id is set directly.
  const { _id, ...fields } = equalities;
  if (_id !== undefined) seed._id = _id;
  if (Object.keys(fields).length > 0) setFields(seed, fields);
  return seed;
}

function setFields(doc: Doc, fields: Doc): boolean {
  const spec = { $set: fields };
  return canApplyFast(spec) ? applyFast(doc, spec) : mingo().update(doc, spec as never, undefined, undefined, BY_REFERENCE).length > 0;
}

/** MongoDB's order of two values of any types. */
export const compareValues = compareBson;
