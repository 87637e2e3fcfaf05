/**
 * Which parts of a document an aggregation pipeline reads, so the embedded engine can hand it
 * only those (decoding whole documents is most of an aggregation's cost). Answers undefined
 * whenever it cannot be sure, and the engine then reads whole documents.
 */
import type { Doc, Filter, Pipeline } from "../store.js";
import { isPositional } from "./fast-projection.js";

/** Stages after which documents have a new shape: what follows reads that shape, not the stored one. */
const RESHAPING = new Set(["$group", "$project", "$count", "$facet", "$bucket", "$sortByCount", "$replaceRoot", "$replaceWith"]);
const PASS_THROUGH = new Set(["$match", "$unwind", "$sort", "$limit", "$skip", "$addFields", "$set"]);

class NeedsWholeDocument extends Error {}

function fieldPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split(".")) {
    if (/^\d+$/.test(part) || part === "") break;
    parts.push(part);
  }
  if (parts.length === 0) throw new NeedsWholeDocument();
  return parts.join(".");
}

function expressionPaths(expression: unknown, into: Set<string>): void {
  if (typeof expression === "string") {
    if (expression.startsWith("$$")) {
      if (/^\$\$(ROOT|CURRENT)(\.|$)/.test(expression)) throw new NeedsWholeDocument();
    } else if (expression.startsWith("$")) {
      into.add(fieldPath(expression.slice(1)));
    }
    return;
  }
  if (Array.isArray(expression)) return expression.forEach((item) => expressionPaths(item, into));
  if (expression && typeof expression === "object" && !(expression instanceof Date)) {
    for (const [key, value] of Object.entries(expression)) {
      if (key === "$literal") continue;
      expressionPaths(value, into);
    }
  }
}

function filterPaths(filter: Filter, into: Set<string>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or" || key === "$nor") (value as Filter[]).forEach((part) => filterPaths(part, into));
    else if (key === "$expr") expressionPaths(value, into);
    else if (key.startsWith("$")) throw new NeedsWholeDocument();
    else into.add(fieldPath(key));
  }
}

function stagePaths(stage: Doc, into: Set<string>): boolean {
  const [name, spec] = Object.entries(stage)[0] ?? [];
  if (!name) throw new NeedsWholeDocument();
  if (name === "$match") filterPaths(spec as Filter, into);
  else if (name === "$unwind") into.add(fieldPath((typeof spec === "string" ? spec : (spec as { path: string }).path).replace(/^\$/, "")));
  else if (name === "$sort") Object.keys(spec as Doc).forEach((key) => into.add(fieldPath(key)));
  else if (name === "$facet") {
    for (const sub of Object.values(spec as Record<string, Pipeline>)) walk(sub, into);
  } else if (name === "$project") {
    // A projection keeps _id unless it says otherwise.
    if ((spec as Doc)._id !== 0 && (spec as Doc)._id !== false) into.add("_id");
    for (const [key, value] of Object.entries(spec as Doc)) {
      if (value === 0 || value === false) {
        if (key !== "_id") throw new NeedsWholeDocument();
      } else if (value === 1 || value === true) into.add(fieldPath(key));
      else expressionPaths(value, into);
    }
  } else if (RESHAPING.has(name) || PASS_THROUGH.has(name)) {
    expressionPaths(spec, into);
  } else {
    throw new NeedsWholeDocument();
  }
  return RESHAPING.has(name);
}

function walk(pipeline: Pipeline, into: Set<string>): void {
  for (const stage of pipeline) if (stagePaths(stage, into)) return;
  // The pipeline ends without reshaping: its output is the stored documents themselves.
  throw new NeedsWholeDocument();
}

/** The smallest set of paths covering what the pipeline reads; undefined if unknown. */
export function pipelinePaths(pipeline: Pipeline): string[] | undefined {
  const paths = new Set<string>();
  try {
    walk(pipeline, paths);
  } catch (error) {
    if (error instanceof NeedsWholeDocument) return undefined;
    throw error;
  }
  const sorted = [...paths].sort();
  return sorted.filter((path) => !sorted.some((other) => other !== path && path.startsWith(`${other}.`)));
}

/**
 * The paths a find with an inclusion projection reads; undefined for exclusion projections. A
 * projection that includes any field but `_id` is an inclusion, and so is `{ _id: 1 }` alone
 * (MongoDB returns only the ids); `_id` beside exclusions (`{ _id: 1, text: 0 }`) is not.
 */
export function findPaths(filter: Filter, options: { projection?: Doc; sort?: Record<string, 1 | -1> }): string[] | undefined {
  const projection = options.projection ?? {};
  // `$slice`, `$elemMatch` and the like project a field by an operator, and `"list.$"` by the
  // query's match: mingo applies either to the whole field.
  if (Object.values(projection).some((value) => value !== null && typeof value === "object") || isPositional(projection)) return undefined;
  const stage: Doc = { $project: projection };
  const included = Object.keys(projection).filter((key) => projection[key] === 1 || projection[key] === true);
  const onlyIds = included.length === 1 && included[0] === "_id" && Object.keys(projection).length === 1;
  if (!onlyIds && !included.some((key) => key !== "_id")) return undefined;
  return pipelinePaths([{ $match: filter }, ...(options.sort ? [{ $sort: options.sort }] : []), stage]);
}
