import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flagReasons, isFlagging, qualityScore } from "../../src/domain/quality.js";

const verdict = fc.record({
  rating: fc.integer({ min: 1, max: 5 }),
  helpful: fc.option(fc.boolean(), { nil: undefined }),
  accurate: fc.option(fc.boolean(), { nil: undefined }),
  reported_issues: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 3 }),
});

describe("quality score", () => {
  it("scores rating / 5, +0.1 if helpful, +0.2 if accurate, at most 1", () => {
    expect(qualityScore({ rating: 5, helpful: true, accurate: true })).toBe(1);
    expect(qualityScore({ rating: 3, helpful: false, accurate: false })).toBe(0.6);
    expect(qualityScore({ rating: 3, helpful: true, accurate: true })).toBe(0.9);
    expect(qualityScore({ rating: 1 })).toBe(0.2);
    expect(qualityScore({ rating: 4, accurate: true })).toBe(1);
  });

  it("stays within [0, 1]", () => {
    fc.assert(fc.property(verdict, (v) => {
      const score = qualityScore(v);
      return score >= 0 && score <= 1;
    }));
  });

  it("never decreases when the rating rises", () => {
    fc.assert(fc.property(verdict, fc.integer({ min: 1, max: 5 }), (v, other) => {
      const [low, high] = [Math.min(v.rating, other), Math.max(v.rating, other)];
      return qualityScore({ ...v, rating: low }) <= qualityScore({ ...v, rating: high });
    }));
  });
});

describe("flagging", () => {
  it("fires exactly on rating ≤ 2, accurate = false, or a reported issue", () => {
    fc.assert(fc.property(verdict, (v) => {
      const expected = v.rating <= 2 || v.accurate === false || v.reported_issues.length > 0;
      return isFlagging(v) === expected;
    }));
  });

  it("names each reason", () => {
    expect(flagReasons({ rating: 2, accurate: false, reported_issues: ["off_topic"] })).toEqual(["rating 2", "not accurate", "reported: off_topic"]);
    expect(flagReasons({ rating: 3 })).toEqual([]);
    expect(flagReasons({ rating: 3, accurate: undefined })).toEqual([]);
  });
});
