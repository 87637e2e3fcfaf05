import { describe, expect, it } from "vitest";
import { lineChart, useColor } from "../../src/cli/output/chart.js";

const ESC = "\u001b[";
const series = [
  { name: "fluency", values: [0.5, 0.55, 0.6, 0.58, 0.7, 0.72] },
  { name: "grammar", values: [0.9, 0.88, 0.86, 0.87, 0.85, 0.84] },
];

describe("progress chart", () => {
  it("draws each line with its own glyphs, and the legend shows which is which, without colour", () => {
    const chart = lineChart(series, 8, false);
    expect(chart).not.toContain(ESC);
    const [plot, legend] = [chart.slice(0, chart.lastIndexOf("\n")), chart.slice(chart.lastIndexOf("\n") + 1)];
    expect(legend).toBe("── fluency   ━━ grammar");
    expect(plot).toMatch(/[╭╯]/);
    expect(plot).toMatch(/[━┏┓┗┛]/);
  });

  it("colours lines and legend when asked", () => {
    const chart = lineChart(series, 8, true);
    expect(chart).toContain(`${ESC}34m── fluency`);
    expect(chart).toContain(`${ESC}32m━━ grammar`);
  });

  it("uses colour only on a terminal and never with NO_COLOR", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
  });

  it("draws nothing for fewer than two points", () => {
    expect(lineChart([{ name: "fluency", values: [0.5] }], 8, false)).toBe("");
  });
});
