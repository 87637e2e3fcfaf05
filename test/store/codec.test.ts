/**
 * The stored text of a document: exactly what `JSON.stringify` writes, with Dates and ObjectIds
 * as Extended JSON wrappers and `$` field names escaped, and back again. Store files written
 * before the hand-written encoder must read the same, and new ones must hold the same text.
 */
import { ObjectId } from "bson";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDoc, encodeDoc } from "../../src/store/embedded/codec.js";

/** The encoder's definition, as it was written before: JSON.stringify with a replacer. */
function reference(doc: unknown): string {
  return JSON.stringify(doc, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    if (original instanceof Date) {
      if (Number.isNaN(original.getTime())) throw new TypeError(`invalid Date at "${key}"`);
      return { $date: original.toISOString() };
    }
    if (original instanceof ObjectId) return { $oid: original.toHexString() };
    if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).some((name) => name.startsWith("$"))) {
      return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name.startsWith("$") ? `$${name}` : name, inner]));
    }
    return value;
  });
}

/** Any UTF-16 code units: quotes, backslashes, control characters, lone and paired surrogates. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) });
const fieldName = fc.oneof(fc.string(), anyText, fc.constantFrom("$date", "$oid", "$$date", "$set", "a.b", "__proto__", "0", "10", "2", 'say "hi"', "tab\there"));
const leaf = fc.oneof(
  fc.string(),
  anyText,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ min: new Date(-8_000_000_000_000), max: new Date(8_000_000_000_000), noInvalidDate: true }),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((bytes) => new ObjectId(bytes)),
);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("value")), fc.dictionary(fieldName, tie("value"))),
})).value;

describe("the document codec", () => {
  it("writes the same text as JSON.stringify with the wrappers, for any document", () => {
    fc.assert(
      fc.property(fc.dictionary(fieldName, value), (doc) => {
        expect(encodeDoc(doc)).toBe(reference(doc));
      }),
      { numRuns: 500 },
    );
  });

  it("reads back what it wrote: Dates, ObjectIds and $ names, at any depth", () => {
    const id = new ObjectId("64b7f0c2a1b2c3d4e5f60718");
    const doc = { _id: id, at: new Date("2026-01-02T03:04:05.006Z"), list: [{ $date: "not a date" }, [id]], $set: { $$x: 1 }, n: -0, big: 1e21 };
    const text = encodeDoc(doc);
    expect(text).toBe(
      '{"_id":{"$oid":"64b7f0c2a1b2c3d4e5f60718"},"at":{"$date":"2026-01-02T03:04:05.006Z"},"list":[{"$$date":"not a date"},[{"$oid":"64b7f0c2a1b2c3d4e5f60718"}]],"$$set":{"$$$x":1},"n":0,"big":1e+21}',
    );
    expect(decodeDoc(text)).toEqual({ ...doc, n: 0 });
  });

  it("drops undefined fields and functions, writes them as null in lists, and NaN as null", () => {
    expect(encodeDoc({ a: undefined, b: () => 1, c: [undefined, Number.NaN, Number.POSITIVE_INFINITY], d: 1 })).toBe('{"c":[null,null,null],"d":1}');
  });

  it("uses a value's toJSON, as JSON.stringify does", () => {
    expect(encodeDoc({ buffer: Buffer.from([1, 2]), custom: { toJSON: () => ({ $k: 1 }) } })).toBe('{"buffer":{"type":"Buffer","data":[1,2]},"custom":{"$$k":1}}');
  });

  it("refuses an invalid Date, naming its field", () => {
    expect(() => encodeDoc({ when: new Date(Number.NaN) })).toThrow('invalid Date at "when"');
  });
});
