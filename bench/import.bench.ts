/**
 * Importing interactions into the embedded store: documents per second, and peak memory that does
 * not grow with the file size (10k against 100k lines, each in its own process).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateDemoData } from "../src/domain/demo-data.js";
import { type BenchLine, mb, perSecond, scratchDir } from "./harness.js";

function writeInput(path: string, count: number): void {
  const { interactions } = generateDemoData({ users: 200, interactions: count, days: 60, seed: 3, now: new Date() });
  writeFileSync(path, interactions.map((record) => JSON.stringify(record)).join("\n") + "\n");
}

function runImport(dir: string, input: string): { ms: number; maxRssBytes: number; inserted: number } {
  const script = `
    import { openStore, importInteractions } from ${JSON.stringify(join(import.meta.dirname, "../dist/index.js"))};
    const store = await openStore(${JSON.stringify(join(dir, `${Date.now()}.db`))});
    const start = performance.now();
    const summary = await importInteractions(store, { path: ${JSON.stringify(input)} });
    const ms = performance.now() - start;
    await store.close();
    console.log(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, inserted: summary.written.inserted }));
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").pop()!);
}

export async function importBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const small = join(dir, "10k.jsonl");
    const large = join(dir, "100k.jsonl");
    writeInput(small, 10_000);
    writeInput(large, 100_000);
    const a = runImport(dir, small);
    const b = runImport(dir, large);
    const growth = b.maxRssBytes / a.maxRssBytes;
    return [
      { name: "import 100k interactions (JSONL file → embedded)", value: perSecond(b.inserted, b.ms), baseline: `${perSecond(a.inserted, a.ms)} at 10k`, ratio: (b.inserted / b.ms) / (a.inserted / a.ms), goal: "reported", pass: true },
      { name: "import peak RSS, 100k vs 10k lines", value: mb(b.maxRssBytes), baseline: mb(a.maxRssBytes), ratio: growth, goal: "≤ 1.5x (flat)", pass: growth <= 1.5 },
    ];
  } finally {
    cleanup();
  }
}
