import { describe, expect, it } from "vitest";
import { formatDuration, stageLine } from "../../src/cli/output/stage-line.js";

describe("the progress line of long work", () => {
  it("names the stage and how far it is, and the time left once the stage has run a second", () => {
    let now = 0;
    const line = stageLine(() => now);
    expect(line("generating", 0, 200_000, "interactions")).toBe("generating 0/200,000 interactions");
    expect(line("writing", 0, 200_000, "records")).toBe("writing 0/200,000 records");
    now = 500;
    expect(line("writing", 1_000, 200_000, "records")).toBe("writing 1,000/200,000 records");
    now = 10_000;
    // 20,000 records in 10 s: 180,000 left take 90 s.
    expect(line("writing", 20_000, 200_000, "records")).toBe("writing 20,000/200,000 records · 1m 30s left");
    now = 11_000;
    expect(line("committing", 0, 1, "step")).toBe("committing 0/1 step");
  });

  it("says no time left without a total", () => {
    let now = 0;
    const line = stageLine(() => now);
    line("reading", 0, undefined, "records");
    now = 5_000;
    expect(line("reading", 12_345, undefined, "records")).toBe("reading 12,345 records");
  });

  it.each([
    [400, "1s"],
    [42_000, "42s"],
    [185_000, "3m 05s"],
    [3_720_000, "1h 02m"],
  ])("formats %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
