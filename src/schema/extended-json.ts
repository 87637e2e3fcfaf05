/**
 * MongoDB Extended JSON type wrappers, as `mongoexport` writes them (relaxed or
 * `--jsonFormat=canonical`), turned into the values they stand for before a record is validated:
 * `{"$numberInt": "5"}` → 5, `{"$numberLong": "…"}` → a number, `{"$numberDouble": "NaN"}` → NaN,
 * `{"$date": {"$numberLong": "…"}}` → a Date, `{"$oid": "…"}` → an ObjectId. bson's EJSON (canonical
 * mode) does the conversion. `{"$date": "…"}` with a text date is left to the date schema, which
 * refuses a time without a time zone (EJSON would read it as the importing machine's local time). Only these wrappers stand for a value: any
 * other key starting with `$` (`$gt`, `$where`, `$set`, `$numberDecimal`, …) is left for the
 * operator check to refuse, so nothing from a file can act as a query.
 *
 * @example
 * fromExtendedJson({ rating: { $numberInt: "4" }, timestamp: { $date: { $numberLong: "0" } } });
 * // { rating: 4, timestamp: new Date(0) }
 */
import { Double, EJSON, Int32, Long, ObjectId } from "bson";
import { InvalidInputError } from "../errors.js";

const INTEGER = /^-?\d+$/;
/** What canonical EJSON writes for a double (bson itself turns any other text into NaN). */
const DOUBLE = /^(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|-?Infinity|NaN)$/;
const HEX_24 = /^[0-9a-fA-F]{24}$/;

/** Each wrapper's accepted content; bson is lenient (`{"$numberInt": "abc"}` becomes 0), so it is checked first. */
const WRAPPERS: Record<string, (inner: unknown) => boolean> = {
  $numberInt: (inner) => typeof inner === "string" && INTEGER.test(inner) && Number(inner) >= -(2 ** 31) && Number(inner) < 2 ** 31,
  $numberLong: (inner) => typeof inner === "string" && INTEGER.test(inner),
  $numberDouble: (inner) => typeof inner === "string" && DOUBLE.test(inner),
  $oid: (inner) => typeof inner === "string" && HEX_24.test(inner),
  $date: (inner) => isPlainObject(inner) && Object.keys(inner).length === 1 && WRAPPERS.$numberLong!((inner as { $numberLong?: unknown }).$numberLong),
};

const EXPECTED: Record<string, string> = {
  $numberInt: "a 32-bit integer as a string",
  $numberLong: "an integer as a string",
  $numberDouble: 'a number as a string, "NaN", "Infinity" or "-Infinity"',
  $oid: "24 hexadecimal characters",
  $date: '{"$numberLong": "…"} (milliseconds since 1970) or an ISO 8601 string with a time zone',
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** The wrapper's name when `value` is exactly one value wrapper (one key), else undefined. */
function wrapperName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]! in WRAPPERS ? keys[0] : undefined;
}

function invalid(path: string, reason: string): InvalidInputError {
  return InvalidInputError.forFields("invalid Extended JSON", [{ field: path, reason }]);
}

function unwrap(name: string, value: Record<string, unknown>, path: string): unknown {
  if (!WRAPPERS[name]!(value[name])) throw invalid(path, `${name} must hold ${EXPECTED[name]}`);
  const revived = EJSON.deserialize(value, { relaxed: false }) as unknown;
  if (revived instanceof Int32 || revived instanceof Double) return revived.valueOf();
  if (revived instanceof Long) {
    if (revived.greaterThan(Number.MAX_SAFE_INTEGER) || revived.lessThan(Number.MIN_SAFE_INTEGER)) {
      throw invalid(path, `${revived.toString()} is too large to keep exactly (at most ±${Number.MAX_SAFE_INTEGER})`);
    }
    return revived.toNumber();
  }
  if (revived instanceof Date && Number.isNaN(revived.getTime())) throw invalid(path, `${JSON.stringify(value[name])} is outside the dates JavaScript can hold`);
  if (revived instanceof Date || revived instanceof ObjectId) return revived;
  throw invalid(path, `${name} did not give a value`);
}

/** `value` with every Extended JSON value wrapper replaced by its value; throws an InvalidInputError naming a malformed wrapper. */
export function fromExtendedJson(value: unknown, path = ""): unknown {
  if (Array.isArray(value)) return value.map((item, index) => fromExtendedJson(item, path ? `${path}.${index}` : String(index)));
  if (!isPlainObject(value)) return value;
  const name = wrapperName(value);
  if (name === "$date" && typeof value.$date === "string") return value;
  if (name) return unwrap(name, value, path || name);
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) result[key] = fromExtendedJson(inner, path ? `${path}.${key}` : key);
  return result;
}
