import { describe, expect, it } from "vitest";
import { contentId } from "../../src/services/import/content-key.js";

describe("the id an imported record without _id gets from its content", () => {
  it("is the one earlier versions gave, so rerunning an old import stores nothing twice", () => {
    expect(contentId({ b: [1, null, { z: "é", a: undefined }], a: { "": 0 } }).toHexString()).toBe("ffca955f0f2794dc5dfbabf4");
  });

  it("ignores key order and undefined values, and tells other content apart", () => {
    const id = contentId({ user_id: "u1", analysis: { fluency_score: 0.5, grammar_errors: [] } });
    expect(contentId({ analysis: { grammar_errors: [], fluency_score: 0.5 }, user_id: "u1", extra: undefined }).equals(id)).toBe(true);
    expect(contentId({ user_id: "u1", analysis: { fluency_score: 0.51, grammar_errors: [] } }).equals(id)).toBe(false);
    expect(contentId({ user_id: "u1", analysis: { fluency_score: 0.5, grammar_errors: [null] } }).equals(id)).toBe(false);
  });
});
