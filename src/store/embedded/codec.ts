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
import { quoted } from "../../json-quote.js";

const DOLLAR = 36;

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

/**
 * The document as JSON, written by hand: `JSON.stringify` with a replacer calls back into
 * JavaScript for every key and value, which cost a third of an import's time. Output is exactly
 * what `JSON.stringify` gives after `toJSON`, with Dates and ObjectIds as wrappers and `$` names
 * escaped; values JSON cannot hold are dropped from objects and null in arrays, as it does.
 */
export function encodeDoc(doc: unknown): string {
  // Undefined only for a value JSON cannot hold at all, as JSON.stringify answers; never a document.
  return encodeValue(doc, "") as string;
}

/**
 * Field names as written, `$` names escaped: documents repeat the same few names. Only short
 * names are kept, and at most MAX_STORED_NAMES of them, so names from outside cannot fill memory.
 */
const storedNames = new Map<string, string>();
const MAX_STORED_NAMES = 4096;
const MAX_STORED_NAME_LENGTH = 64;

function storedName(name: string): string {
  let stored = storedNames.get(name);
  if (stored === undefined) {
    stored = quoted(name.charCodeAt(0) === DOLLAR ? `$${name}` : name);
    if (name.length <= MAX_STORED_NAME_LENGTH && storedNames.size < MAX_STORED_NAMES) storedNames.set(name, stored);
  }
  return stored;
}

function encodeValue(value: unknown, key: string): string | undefined {
  switch (typeof value) {
    case "string":
      return quoted(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    case "bigint":
      // JSON.stringify's own error ("Do not know how to serialize a BigInt").
      return JSON.stringify(value);
    default:
      return undefined;
  }
  if (value === null) return "null";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`invalid Date at "${key}"`);
    return `{"$date":"${value.toISOString()}"}`;
  }
  if (value instanceof ObjectId) return `{"$oid":"${value.toHexString()}"}`;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return encodeValue(toJSON.call(value, key), key);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += `${i ? "," : ""}${encodeValue(value[i], String(i)) ?? "null"}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  for (const name of Object.keys(record)) {
    const inner = encodeValue(record[name], name);
    if (inner === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${storedName(name)}:${inner}`;
  }
  return `${out}}`;
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
