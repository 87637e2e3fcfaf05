import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

/** Markdown renders a run of `| … |` lines as a table only when its second line is a `| --- |` separator. */
function tableBlocks(markdown: string): string[][] {
  const blocks: string[][] = [];
  let inFence = false;
  let current: string[] | undefined;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inFence = !inFence;
    if (!inFence && line.startsWith("|")) (current ??= (blocks.push([]), blocks[blocks.length - 1]!)).push(line);
    else current = undefined;
  }
  return blocks;
}

describe("README tables", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const blocks = tableBlocks(readme);

  it("every table has a header and a separator line, so no row renders as raw text", () => {
    expect(blocks.length).toBeGreaterThan(3);
    for (const block of blocks) expect(block[1], `table starting ${block[0]}`).toMatch(/^\|(\s*:?-{3,}:?\s*\|)+$/);
  });

  it("lists every command group in the Commands section", () => {
    const section = readme.slice(readme.indexOf("## Commands"), readme.indexOf("\n## ", readme.indexOf("## Commands") + 1));
    const commands = tableBlocks(section).flat().filter((line) => line.startsWith("| `lexi "));
    for (const group of ["init", "seed", "interactions", "feedback", "queue", "review", "export", "exports", "progress", "patterns", "analytics", "metrics", "serve"]) {
      expect(commands.some((line) => line.startsWith(`| \`lexi ${group} `) || line.startsWith(`| \`lexi ${group}\``)), group).toBe(true);
    }
  });
});
