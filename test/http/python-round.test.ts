import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pythonRound } from "../../src/http/python-round.js";
import { pythonRoundReference } from "../helpers/python-round-reference.js";

describe("Python's round, as the original's feedback statistics used it", () => {
  // Values printed by CPython 3 for round(x, n).
  it.each([
    [81.25, 1, 81.2],
    [68.75, 1, 68.8],
    [3.125, 2, 3.12],
    [2.675, 2, 2.67],
    [0.375, 2, 0.38],
    [1.005, 2, 1],
    [99.95, 1, 100],
    [66.66666666666667, 1, 66.7],
    [2.5, 0, 2],
    [3.5, 0, 4],
    [-81.25, 1, -81.2],
  ])("round(%d, %i) is %d (ties to even on the exact binary value)", (x, digits, expected) => {
    expect(pythonRound(x, digits)).toBe(expected);
    expect(pythonRoundReference(x, digits)).toBe(expected);
  });

  it("differs from Math.round on ties, which is why it exists", () => {
    expect(Math.round(81.25 * 10) / 10).toBe(81.3);
    expect(pythonRound(81.25, 1)).toBe(81.2);
  });

  it("equals an exact-integer computation for ratings, percentages and ties", () => {
    const ratio = fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5000 })).filter(([part, whole]) => part <= whole);
    fc.assert(
      fc.property(ratio, fc.integer({ min: 0, max: 3 }), ([part, whole], digits) => {
        const percentage = (part / whole) * 100;
        expect(pythonRound(percentage, digits)).toBe(pythonRoundReference(percentage, digits));
        const rating = (part % 5 + 1 + whole % 5) / 2;
        expect(pythonRound(rating, digits)).toBe(pythonRoundReference(rating, digits));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, digits) => {
        expect(pythonRound(x, digits)).toBe(pythonRoundReference(x, digits));
      }),
      { numRuns: 3000 },
    );
  });
});
