/**
 * A fast path for the update operators services use on every write ($set, $unset, $inc, $push,
 * $addToSet on plain dotted paths). mingo's updater builds a fresh operator context per call,
 * which costs more than the write itself; anything this does not cover goes to mingo.
 */
import type { Doc, Update } from "../store.js";
import { encodeDoc, isPlainObject } from "./codec.js";

const FAST_OPERATORS = new Set(["$set", "$unset", "$inc", "$push", "$addToSet"]);

/** Paths with positional or numeric parts, and modifiers such as $each/$slice, are left to mingo. */
export function canApplyFast(spec: Update): boolean {
  return Object.entries(spec).every(
    ([operator, fields]) =>
      FAST_OPERATORS.has(operator) &&
      isPlainObject(fields) &&
      Object.entries(fields).every(([path, value]) => {
        if (path.split(".").some((part) => part === "" || part.startsWith("$") || /^\d+$/.test(part))) return false;
        if ((operator === "$push" || operator === "$addToSet") && isPlainObject(value) && Object.keys(value).some((k) => k.startsWith("$"))) return false;
        return true;
      }),
  );
}

function parentOf(doc: Doc, path: string, create: boolean): { parent: Doc; key: string } | undefined {
  const parts = path.split(".");
  let node: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    let next = node[part];
    if (next === undefined || next === null) {
      if (!create) return undefined;
      next = {};
      node[part] = next;
    }
    if (!isPlainObject(next)) throw new Error(`cannot create field '${parts[parts.length - 1]}' in element {${part}: ${JSON.stringify(next)}}`);
    node = next;
  }
  return { parent: node, key: parts[parts.length - 1]! };
}

const same = (a: unknown, b: unknown) => a === b || encodeDoc(a) === encodeDoc(b);

/** Applies the update in place; returns whether anything changed. */
export function applyFast(doc: Doc, spec: Update): boolean {
  let changed = false;
  for (const [operator, fields] of Object.entries(spec) as Array<[string, Doc]>) {
    for (const [path, value] of Object.entries(fields)) {
      const slot = parentOf(doc, path, operator !== "$unset");
      if (!slot) continue;
      const { parent, key } = slot;
      const current = parent[key];
      switch (operator) {
        case "$set":
          if (!(key in parent) || !same(current, value)) {
            parent[key] = value;
            changed = true;
          }
          break;
        case "$unset":
          if (key in parent) {
            delete parent[key];
            changed = true;
          }
          break;
        case "$inc":
          if (typeof value !== "number") throw new Error(`Cannot increment with non-numeric argument: {${path}: ${JSON.stringify(value)}}`);
          if (current !== undefined && typeof current !== "number") throw new Error(`Cannot apply $inc to a value of non-numeric type at ${path}`);
          parent[key] = ((current as number | undefined) ?? 0) + value;
          changed ||= value !== 0 || current === undefined;
          break;
        case "$push":
        case "$addToSet": {
          if (current !== undefined && !Array.isArray(current)) throw new Error(`The field '${path}' must be an array`);
          const list = (current as unknown[] | undefined) ?? [];
          if (operator === "$addToSet" && list.some((item) => same(item, value))) {
            if (current === undefined) parent[key] = list;
            break;
          }
          parent[key] = [...list, value];
          changed = true;
          break;
        }
      }
    }
  }
  return changed;
}
