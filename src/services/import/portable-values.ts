/**
 * Validated records cross from the checking worker to the writing thread by structured clone,
 * which keeps Dates, NaN and -0 but turns class instances into plain objects. ObjectIds, the one
 * class a validated record holds, cross as their 12 bytes: a record parsed from JSON holds no
 * other byte array, so each one found on arrival is an ObjectId.
 */
import { ObjectId } from "bson";

/** `value` with every ObjectId replaced by its bytes, changed in place where it can be. */
export function toPortable(value: unknown): unknown {
  if (value instanceof ObjectId) return Uint8Array.from(value.id);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const inner = record[key];
    if (inner !== null && typeof inner === "object") record[key] = toPortable(inner);
  }
  return record;
}

/** Undoes `toPortable`, in place. */
export function fromPortable(value: unknown): unknown {
  if (value instanceof Uint8Array) return new ObjectId(value);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const inner = record[key];
    if (inner !== null && typeof inner === "object") record[key] = fromPortable(inner);
  }
  return record;
}
