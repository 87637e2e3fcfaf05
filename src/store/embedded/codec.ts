/**
 * Documents are stored as JSON text with MongoDB Extended JSON wrappers for the two BSON types
 * lexi uses: `{"$date": ISO-8601 with milliseconds}` and `{"$oid": hex}`. Dates always carry
 * milliseconds so that their text sorts in time order (SQLite compares them as strings).
 *
 * MongoDB (5.0 and later) stores field names that start with `$` as plain data, so a subdocument
 * `{"$date": "…"}` written by a user comes back as that subdocument, not as a Date. To keep the
 * wrappers unambiguous, such a name is stored with one more `$` (`$date` as `$$date`) and loses
 * it again on the way out.
 */
import { ObjectId } from "bson";
import type { Doc } from "../store.js";

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify has already applied toJSON; the original value is still on the holder.
  const original = this[key];
  if (original instanceof Date) {
    if (Number.isNaN(original.getTime())) throw new TypeError(`invalid Date at "${key}"`);
    return { $date: original.toISOString() };
  }
  if (original instanceof ObjectId) return { $oid: original.toHexString() };
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const name in value) if (name.charCodeAt(0) === DOLLAR) return escapeNames(value as Record<string, unknown>);
  }
  return value;
}

const DOLLAR = 36;

/** The same object with every `$`-prefixed field name given one more `$`, in the same order. */
function escapeNames(record: Record<string, unknown>): Record<string, unknown> {
  const escaped: Record<string, unknown> = {};
  for (const name in record) escaped[name.charCodeAt(0) === DOLLAR ? `$${name}` : name] = record[name];
  return escaped;
}

/** Undoes `escapeNames`: `$$date` is the user's `$date`. */
function unescapeNames(record: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const name in record) plain[name.charCodeAt(0) === DOLLAR && name.charCodeAt(1) === DOLLAR ? name.slice(1) : name] = record[name];
  return plain;
}

/** A subdocument: an object that is not an array, a Date or an ObjectId. */
export function isPlainObject(value: unknown): value is Doc {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof ObjectId);
}

export function encodeDoc(doc: unknown): string {
  return JSON.stringify(doc, replacer);
}

/**
 * Turns the Extended JSON wrappers of parsed JSON back into Dates and ObjectIds, and escaped
 * `$$` field names back into the user's `$` names, in place where it can.
 */
export function revive(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.$date === "string") return new Date(record.$date);
  if (typeof record.$oid === "string") return new ObjectId(record.$oid);
  let escaped = false;
  for (const key in record) {
    if (key.charCodeAt(0) === DOLLAR) escaped = true;
    const inner = record[key];
    if (inner !== null && typeof inner === "object") record[key] = revive(inner);
  }
  return escaped ? unescapeNames(record) : record;
}

export function decodeDoc<T = Doc>(text: string): T {
  return revive(JSON.parse(text)) as T;
}

/** The primary-key text of an `_id`: distinct for the ObjectId and the string of the same hex. */
export function idKey(id: unknown): string {
  return encodeDoc(id);
}
