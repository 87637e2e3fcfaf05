/**
 * Small line charts for terminals (asciichart), for series over time. Each line has its own
 * glyphs, so the legend tells them apart without colour; on a terminal they are coloured too
 * (unless NO_COLOR is set).
 */
import asciichart from "asciichart";

type Symbols = NonNullable<NonNullable<Parameters<typeof asciichart.plot>[1]>["symbols"]>;

/** asciichart's symbols: four for the axis, then ─ ╰ ╭ ╮ ╯ │ for the line. */
const AXIS = ["┼", "┤", "╶", "╴"];
const STYLES = [
  { line: ["─", "╰", "╭", "╮", "╯", "│"], legend: "──", color: asciichart.blue },
  { line: ["━", "┗", "┏", "┓", "┛", "┃"], legend: "━━", color: asciichart.green },
  { line: ["•", "•", "•", "•", "•", "•"], legend: "••", color: asciichart.magenta },
  { line: ["═", "╚", "╔", "╗", "╝", "║"], legend: "══", color: asciichart.yellow },
];

export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** A line chart of up to four series with a legend; empty when there is nothing to draw. */
export function lineChart(series: Array<{ name: string; values: number[] }>, height = 8, color = useColor()): string {
  const drawable = series.filter((s) => s.values.length >= 2).slice(0, STYLES.length);
  if (drawable.length === 0) return "";
  const all = drawable.flatMap((s) => s.values);
  const common = { height, min: Math.min(...all), max: Math.max(...all), format: (x: number) => x.toFixed(2).padStart(6) };
  // One plot per series on the same scale, then laid over each other: later series on top.
  const layers = drawable.map((s, i) => asciichart.plot(s.values, { ...common, symbols: [...AXIS, ...STYLES[i]!.line] as Symbols }).split("\n"));
  const lineGlyphs = STYLES.map((style) => new Set(style.line));
  const rows = layers[0]!.map((_, row) => {
    const width = Math.max(...layers.map((layer) => layer[row]!.length));
    let text = "";
    for (let column = 0; column < width; column++) {
      let cell = layers[0]![row]![column] ?? " ";
      let owner = -1;
      layers.forEach((layer, i) => {
        const char = layer[row]![column];
        if (char && lineGlyphs[i]!.has(char)) [cell, owner] = [char, i];
      });
      text += owner >= 0 && color ? `${STYLES[owner]!.color}${cell}${asciichart.reset}` : cell;
    }
    return text.trimEnd();
  });
  const legend = drawable.map((s, i) => (color ? `${STYLES[i]!.color}${STYLES[i]!.legend} ${s.name}${asciichart.reset}` : `${STYLES[i]!.legend} ${s.name}`)).join("   ");
  return `${rows.join("\n")}\n${legend}`;
}
