/**
 * MongoDB's order of values, for the embedded engine's in-memory sorts and range filters (mingo
 * orders ObjectIds last, compares strings by UTF-16 code units and keeps null apart from a
 * missing field).
 *
 * Values of different types order by type: MinKey, null (and a missing field), numbers, strings,
 * objects, arrays, binary data, ObjectId, booleans, dates, timestamps, regular expressions,
 * MaxKey. Without a collation, strings compare as their UTF-8 bytes, which is code point order.
 */
import { ObjectId } from "bson";

const RANK_BY_BSONTYPE: Record<string, number> = {
  MinKey: 0,
  Int32: 2,
  Double: 2,
  Long: 2,
  Decimal128: 2,
  BSONSymbol: 3,
  Binary: 6,
  ObjectId: 7,
  Timestamp: 10,
  BSONRegExp: 11,
  MaxKey: 12,
};

/** The value's place in MongoDB's order of types; null and undefined (a missing field) share one. */
export function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 1;
  switch (typeof value) {
    case "number":
    case "bigint":
      return 2;
    case "string":
      return 3;
    case "boolean":
      return 8;
    case "object":
      break;
    default:
      return 13;
  }
  if (Array.isArray(value)) return 5;
  if (value instanceof Date) return 9;
  if (value instanceof ObjectId) return 7;
  if (value instanceof RegExp) return 11;
  if (value instanceof Uint8Array) return 6;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  return (bsonType !== undefined ? RANK_BY_BSONTYPE[bsonType] : undefined) ?? 4;
}

/**
 * A UTF-16 code unit placed so that code unit order is UTF-8 byte order: the surrogates (which
 * encode characters beyond U+FFFF) move above U+E000–U+FFFF, which they precede in UTF-16.
 */
function utf8Place(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}

/** Strings in UTF-8 byte order (MongoDB's simple binary comparison). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Place(x) - utf8Place(y);
  }
  return a.length - b.length;
}

function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return Number(String(value));
}

function compareNumbers(a: unknown, b: unknown): number {
  const x = toNumber(a);
  const y = toNumber(b);
  // MongoDB puts NaN below every other number and equal to itself.
  if (Number.isNaN(x) || Number.isNaN(y)) return (Number.isNaN(x) ? 0 : 1) - (Number.isNaN(y) ? 0 : 1);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Objects compare pair by pair in field order: first the values' types, then the field names,
 * then the values; an object that runs out of pairs first is the smaller. Arrays compare the
 * same way, element by element.
 */
function comparePairs(a: Array<[string, unknown]>, b: Array<[string, unknown]>): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const [nameA, valueA] = a[i]!;
    const [nameB, valueB] = b[i]!;
    const order = typeRank(valueA) - typeRank(valueB) || compareStrings(nameA, nameB) || compareBson(valueA, valueB);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function bytesOf(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : ((value as { buffer: Uint8Array }).buffer ?? new Uint8Array());
}

/** Binary data orders by length, then subtype, then byte by byte. */
function compareBinary(a: unknown, b: unknown): number {
  const x = bytesOf(a);
  const y = bytesOf(b);
  const subtype = (value: unknown) => (value as { sub_type?: number }).sub_type ?? 0;
  if (x.length !== y.length) return x.length - y.length;
  if (subtype(a) !== subtype(b)) return subtype(a) - subtype(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` in MongoDB's order. */
export function compareBson(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  switch (rankA) {
    case 2:
      return compareNumbers(a, b);
    case 3:
      return compareStrings(String(a), String(b));
    case 4:
      return comparePairs(Object.entries(a as object), Object.entries(b as object));
    case 5:
      return comparePairs(
        (a as unknown[]).map((value, i) => [String(i), value]),
        (b as unknown[]).map((value, i) => [String(i), value]),
      );
    case 6:
      return compareBinary(a, b);
    case 7:
      return compareStrings((a as ObjectId).toHexString(), (b as ObjectId).toHexString());
    case 8:
      return Number(a) - Number(b);
    case 9:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case 10:
      return (a as { compare(other: unknown): number }).compare(b);
    case 11: {
      const x = a as { source?: string; pattern?: string; flags?: string; options?: string };
      const y = b as typeof x;
      return compareStrings(x.source ?? x.pattern ?? "", y.source ?? y.pattern ?? "") || compareStrings(x.flags ?? x.options ?? "", y.flags ?? y.options ?? "");
    }
    default:
      return 0;
  }
}
