/**
 * Validated records cross from the checking worker to the writing thread by structured clone,
 * which keeps Dates, NaN and -0 but turns class instances into plain objects. ObjectIds, the one
 * class a validated record holds, cross as their 12 bytes: a record parsed from JSON holds no
 * other byte array, so each one found on arrival is an ObjectId.
 */
import { ObjectId } from "bson";

/** `value` with every ObjectId replaced by its bytes, changed in place where it can be. */
export function toPortable(value: unknown): unknown {
  return replaceInPlace(value, (inner) => (inner instanceof ObjectId ? Uint8Array.from(inner.id) : undefined));
}

/** Undoes `toPortable`, in place. */
export function fromPortable(value: unknown): unknown {
  return replaceInPlace(value, (inner) => (inner instanceof Uint8Array ? new ObjectId(inner) : undefined));
}

/** `value` with each value `replacement` answers for (undefined: none) replaced, at any depth, in place. */
function replaceInPlace(value: unknown, replacement: (value: unknown) => unknown): unknown {
  const replaced = replacement(value);
  if (replaced !== undefined) return replaced;
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const inner = record[key];
    if (inner !== null && typeof inner === "object") record[key] = replaceInPlace(inner, replacement);
  }
  return record;
}
