/**
 * What MongoDB receives for a filter, an update or a pipeline that holds `undefined`: lexi's
 * MongoDB client serializes with `ignoreUndefined`, so a field whose value is undefined is left
 * out, and an undefined list element becomes null. The embedded engine reads the same value, so
 * `{user_id: undefined}` matches every document on both engines, `{_id: {$in: [undefined]}}` only
 * documents without an `_id` (none), and `{$set: {note: undefined}}` leaves a stored note alone.
 */

/** `value` as the driver would send it; the same object when it holds no undefined. */
export function asSent<T>(value: T): T {
  return holdsUndefined(value) ? (sent(value) as T) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function holdsUndefined(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((element) => element === undefined || holdsUndefined(element));
  if (!isRecord(value)) return false;
  for (const key in value) {
    const inner = value[key];
    if (inner === undefined || holdsUndefined(inner)) return true;
  }
  return false;
}

function sent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((element) => (element === undefined ? null : sent(element)));
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) copy[key] = sent(value[key]);
  return copy;
}
