import { hash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentId } from "../../src/services/import/content-key.js";

/** The content key's definition, written the slow and obvious way: the ids must never change. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(",")}}`;
}

/** Any UTF-16 text: quotes, backslashes, control characters and lone surrogates included. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) });
const anyRecord = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, anyText, fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(tie("value")), fc.dictionary(anyText, tie("value"))),
})).value;

describe("the id an imported record without _id gets from its content", () => {
  it("is the one earlier versions gave, so rerunning an old import stores nothing twice", () => {
    expect(contentId({ b: [1, null, { z: "é", a: undefined }], a: { "": 0 } }).toHexString()).toBe("ffca955f0f2794dc5dfbabf4");
  });

  it("is the sha-256 of the sorted-key JSON, for any text in keys and values", () => {
    fc.assert(
      fc.property(anyRecord, (value) => {
        expect(contentId(value).toHexString()).toBe(hash("sha256", reference(value), "hex").slice(0, 24));
      }),
      { numRuns: 500 },
    );
  });

  it("ignores key order and undefined values, and tells other content apart", () => {
    const id = contentId({ user_id: "u1", analysis: { fluency_score: 0.5, grammar_errors: [] } });
    expect(contentId({ analysis: { grammar_errors: [], fluency_score: 0.5 }, user_id: "u1", extra: undefined }).equals(id)).toBe(true);
    expect(contentId({ user_id: "u1", analysis: { fluency_score: 0.51, grammar_errors: [] } }).equals(id)).toBe(false);
    expect(contentId({ user_id: "u1", analysis: { fluency_score: 0.5, grammar_errors: [null] } }).equals(id)).toBe(false);
  });
});
