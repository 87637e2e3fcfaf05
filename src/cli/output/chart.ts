/**
 * Small line charts for terminals (asciichart), for series over time.
 */
import asciichart from "asciichart";

const COLORS = [asciichart.blue, asciichart.green, asciichart.magenta, asciichart.yellow];

/** A line chart of one or more series with a legend; empty when there is nothing to draw. */
export function lineChart(series: Array<{ name: string; values: number[] }>, height = 8): string {
  const drawable = series.filter((s) => s.values.length >= 2);
  if (drawable.length === 0) return "";
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const plot = asciichart.plot(
    drawable.map((s) => s.values),
    { height, format: (x: number) => x.toFixed(2).padStart(6), ...(color ? { colors: COLORS.slice(0, drawable.length) } : {}) },
  );
  const legend = drawable.map((s, i) => `${color ? COLORS[i] : ""}── ${s.name}${color ? asciichart.reset : ""}`).join("   ");
  return `${plot}\n${legend}`;
}
