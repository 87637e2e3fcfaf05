/**
 * An id derived from a record's content, for imported records that bring no `_id`: the same
 * record always gets the same id, so a rerun finds it stored instead of writing it twice.
 */
import { createHash } from "node:crypto";
import { ObjectId } from "bson";

/** JSON with object keys sorted, so key order does not change the key. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * @example
 * contentId({ a: 1, b: 2 }).equals(contentId({ b: 2, a: 1 })) // true
 */
export function contentId(record: unknown): ObjectId {
  return new ObjectId(createHash("sha256").update(canonical(record)).digest().subarray(0, 12));
}
