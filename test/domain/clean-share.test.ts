import { describe, expect, it } from "vitest";
import { cleanCount } from "../../src/domain/clean-share.js";

describe("cleanCount", () => {
  it.each([
    [80, 0.2, 20],
    [40, 0.25, 13],
    [3, 0.5, 3],
    [7, 0.1, 1],
    [10, 0, 0],
    [0, 0.5, 0],
  ])("%i records with errors and a share of %s call for %i clean ones", (errorful, share, clean) => {
    expect(cleanCount(errorful, share)).toBe(clean);
  });
});
