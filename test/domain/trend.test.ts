import { describe, expect, it } from "vitest";
import { improvementTrend } from "../../src/domain/trend.js";

describe("improvement trend", () => {
  it("is stable with fewer than two snapshots", () => {
    expect(improvementTrend([], 0.9)).toBe("stable");
  });
  it("compares with the oldest of the last three snapshots, the new one included", () => {
    expect(improvementTrend([0.5], 0.61)).toBe("improving");
    expect(improvementTrend([0.2, 0.5, 0.55], 0.6)).toBe("stable"); // 0.6 vs 0.5, not vs 0.2
    expect(improvementTrend([0.5, 0.9], 0.38)).toBe("declining");
    expect(improvementTrend([0.5, 0.5], 0.6)).toBe("stable"); // exactly +0.1 is not "more than"
    expect(improvementTrend([0.5, 0.5], 0.4)).toBe("stable");
  });
  it("skips the previous snapshot: the one two before the new one is the reference", () => {
    expect(improvementTrend([0.5, 0.55], 0.65)).toBe("improving"); // +0.15 vs 0.5; +0.1 vs 0.55 would be stable
    expect(improvementTrend([0.5, 0.45], 0.38)).toBe("declining"); // −0.12 vs 0.5; −0.07 vs 0.45 would be stable
    expect(improvementTrend([0.9, 0.5, 0.55], 0.65)).toBe("improving"); // older snapshots fall out of the window
  });
});
