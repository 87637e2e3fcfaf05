/**
 * An id derived from a record's content, for imported records that bring no `_id`: the same
 * record always gets the same id, so a rerun finds it stored instead of writing it twice.
 */
import { hash } from "node:crypto";
import { ObjectId } from "bson";
import { quoted } from "../../json-quote.js";

/**
 * JSON with object keys sorted, so key order does not change the key. Built by appending to one
 * string (this runs once per imported line); its output must never change, or a rerun of an old
 * import would store its records again.
 */
function canonical(value: unknown): string {
  if (typeof value === "string") return quoted(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonical(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const inner = record[key];
    if (inner === undefined) continue;
    out += `${first ? "" : ","}${quoted(key)}:${canonical(inner)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * @example
 * contentId({ a: 1, b: 2 }).equals(contentId({ b: 2, a: 1 })) // true
 */
export function contentId(record: unknown): ObjectId {
  // The one-shot hash: a Hash object per line costs more than hashing the line.
  return new ObjectId(hash("sha256", canonical(record), "buffer").subarray(0, 12));
}
