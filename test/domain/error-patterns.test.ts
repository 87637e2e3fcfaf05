/**
 * Patterns folded from per-learner error counts: what `lexi patterns detect` stores for each
 * (error type, level).
 */
import { describe, expect, it } from "vitest";
import { type ErrorCount, compareCodePoints, foldPatterns } from "../../src/domain/error-patterns.js";

const count = (user: string, error: string, correction: string, n: number, type = "tense", level = "A2"): ErrorCount => ({ type, level, user, error, correction, count: n });
const LIMITS = { minFrequency: 1, sampleUsers: 2, examples: 2 };

describe("folding error counts into patterns", () => {
  it("adds up occurrences, counts each learner once and keeps types and levels apart", () => {
    const patterns = foldPatterns(
      [count("u1", "go", "went", 2), count("u1", "eat", "ate", 1), count("u2", "go", "went", 4), count("u1", "a", "an", 5, "article"), count("u3", "go", "went", 1, "tense", "B1")],
      { ...LIMITS, sampleUsers: 10, examples: 10 },
    );
    expect(patterns.map((p) => [p.type, p.level, p.frequency, p.affected_users])).toEqual([
      ["tense", "A2", 7, 2],
      ["article", "A2", 5, 1],
      ["tense", "B1", 1, 1],
    ]);
    expect(patterns[0]!.example_errors).toEqual([
      { error: "go", correction: "went", count: 6 },
      { error: "eat", correction: "ate", count: 1 },
    ]);
  });

  it("samples the first learners in code point order, up to the limit", () => {
    const [pattern] = foldPatterns([count("zoe", "go", "went", 1), count("Amy", "go", "went", 1), count("bob", "go", "went", 1)], LIMITS);
    expect(pattern!.sample_users).toEqual(["Amy", "bob"]);
    expect(pattern!.affected_users).toBe(3);
  });

  it("keeps the most frequent examples, ties by error then correction, up to the limit", () => {
    const [pattern] = foldPatterns([count("u1", "b", "x", 3), count("u1", "a", "z", 3), count("u2", "a", "y", 3), count("u1", "c", "c", 9)], { ...LIMITS, examples: 3 });
    expect(pattern!.example_errors.map((e) => `${e.error}>${e.correction}:${e.count}`)).toEqual(["c>c:9", "a>y:3", "a>z:3"]);
  });

  it("drops patterns below the minimum frequency and keeps those at it", () => {
    const patterns = foldPatterns([count("u1", "go", "went", 2), count("u1", "a", "an", 3, "article")], { ...LIMITS, minFrequency: 3 });
    expect(patterns.map((p) => p.type)).toEqual(["article"]);
  });

  it("orders strings as MongoDB does: by code point, not by UTF-16 unit", () => {
    // U+FF5E (fullwidth tilde) is below U+1F600 (an emoji) by code point, above its surrogates by unit.
    expect(compareCodePoints("\uFF5E", "\u{1F600}")).toBeLessThan(0);
    expect(compareCodePoints("\u{1F600}", "\uFF5E")).toBeGreaterThan(0);
    expect(compareCodePoints("ab", "abc")).toBeLessThan(0);
    expect(compareCodePoints("abc", "abc")).toBe(0);
    expect(["\u{1F600}", "\uFF5E", "a"].sort(compareCodePoints)).toEqual(["a", "\uFF5E", "\u{1F600}"]);
  });
});
