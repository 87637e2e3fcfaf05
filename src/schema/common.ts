/**
 * Building blocks shared by the document and input schemas.
 */
import { ObjectId } from "bson";
import * as z from "zod";

export const CEFR_LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"] as const;
export const CefrLevel = z.enum(CEFR_LEVELS);
export type CefrLevel = z.infer<typeof CefrLevel>;

export const Score01 = z.number().min(0, "must be from 0 to 1").max(1, "must be from 0 to 1");

/** A name such as a task, a metric or an error type: a word, with `_` or `-` inside. */
export const WordName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "must be a word (letters, digits, _ or -; starting with a letter)");

const HEX_ONLY = /^[0-9a-fA-F]+$/;

/**
 * An id from outside: a 24-hex ObjectId, or an importer's own string id. A hex-only string of
 * another length is a mangled ObjectId (the original's `67890abcdef`), so it is refused.
 */
export const IdString = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[^\s$]\S*$/, "must not contain spaces or start with $")
  .refine((id) => !HEX_ONLY.test(id) || id.length === 24, {
    message: "looks like an ObjectId but is not 24 hexadecimal characters",
  });

/** An `_id` in imported data: a string kept as is, or an Extended JSON `{"$oid": hex}`. */
export const ImportedId = z.union([
  IdString,
  z.object({ $oid: z.string().regex(/^[0-9a-fA-F]{24}$/, "must be 24 hexadecimal characters") }).transform((v) => new ObjectId(v.$oid)),
  z.instanceof(ObjectId),
]);

/** A point in time: a Date, an ISO 8601 string with a time zone, or Extended JSON `{"$date": …}`. */
export const Timestamp = z.preprocess(
  (value) => {
    if (value && typeof value === "object" && !(value instanceof Date) && "$date" in value) return (value as { $date: unknown }).$date;
    return value;
  },
  z.union([
    z.date(),
    z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
    z.iso.date().transform((text) => new Date(`${text}T00:00:00Z`)),
  ]),
).refine((date) => !Number.isNaN(date.getTime()), "is not a valid date");

/** Extended JSON `{"$oid": …}` and `{"$date": …}` are values, not operators. */
function isExtendedJsonValue(value: object): boolean {
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const inner = (value as Record<string, unknown>)[keys[0]!];
  return (keys[0] === "$oid" && typeof inner === "string") || (keys[0] === "$date" && (typeof inner === "string" || typeof inner === "number"));
}

/**
 * Free-form data (audio features, pronunciation details) with its Extended JSON values turned
 * into the values they stand for. Stored as written, `{"$date": …}` would stay a subdocument on
 * MongoDB but come back as a Date from the embedded engine (which stores Extended JSON text);
 * turned into a Date here, it is a Date on both.
 */
export const FreeForm = z.record(z.string(), z.unknown()).transform((record, context) => {
  const revived = reviveExtendedJson(record) as Record<string, unknown>;
  if (hasInvalidDate(revived)) context.addIssue({ code: "custom", message: 'holds a {"$date": …} that is not a valid date' });
  return revived;
});

function reviveExtendedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveExtendedJson);
  if (!value || typeof value !== "object" || value instanceof Date || value instanceof ObjectId) return value;
  if (isExtendedJsonValue(value)) {
    const record = value as { $date?: string | number; $oid?: string };
    if (record.$date !== undefined) return new Date(record.$date);
    if (/^[0-9a-fA-F]{24}$/.test(record.$oid!)) return new ObjectId(record.$oid!);
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reviveExtendedJson(inner)]));
}

function hasInvalidDate(value: unknown): boolean {
  if (value instanceof Date) return Number.isNaN(value.getTime());
  if (Array.isArray(value)) return value.some(hasInvalidDate);
  if (value && typeof value === "object" && !(value instanceof ObjectId)) return Object.values(value).some(hasInvalidDate);
  return false;
}

/** The path of the first object key that MongoDB would read as an operator (`$ne`, `$gt`, …), if any. */
export function operatorKeyPath(value: unknown, path = ""): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = operatorKeyPath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object" && !(value instanceof Date) && !(value instanceof ObjectId)) {
    if (isExtendedJsonValue(value)) return undefined;
    for (const [key, inner] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (key.startsWith("$")) return here;
      const found = operatorKeyPath(inner, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The ids a string may stand for: the ObjectId of that hex, and the string itself. */
export function idCandidates(id: string | ObjectId): Array<string | ObjectId> {
  if (id instanceof ObjectId) return [id];
  return /^[0-9a-fA-F]{24}$/.test(id) ? [new ObjectId(id), id] : [id];
}

export function idFilter(id: string | ObjectId): { _id: unknown } {
  const candidates = idCandidates(id);
  return candidates.length === 1 ? { _id: candidates[0] } : { _id: { $in: candidates } };
}

/** A map key that tells an ObjectId from the string of its hex: two different ids. */
export function idIdentity(id: unknown): string {
  return id instanceof ObjectId ? `oid:${id.toHexString()}` : `str:${String(id)}`;
}

/** How an id is printed and sent back: the hex of an ObjectId, or the string itself. */
export function idText(id: unknown): string {
  return id instanceof ObjectId ? id.toHexString() : String(id);
}
