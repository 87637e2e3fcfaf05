/**
 * Importing interactions into the embedded store: `import vs insertMany` sets the import of 100k
 * JSONL lines (parse, validate, auto-queue, write) against the engine's own insertMany of the same
 * documents, already parsed (goal ≥ 0.5x); peak memory must not grow with the file size (10k
 * against 100k lines). Each run is its own process, in a store file of its own. The two sides run
 * in turn, three times, and the lines report the median of the three ratios and of the three
 * peaks: on a shared machine one pair can differ by 1.5x from the next with nothing changed.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateDemoData } from "../src/domain/demo-data.js";
import { type BenchLine, inTurns, mb, median, perSecond, scratchDir } from "./harness.js";

function writeInput(path: string, count: number): void {
  const { interactions } = generateDemoData({ users: 200, interactions: count, days: 60, seed: 3, now: new Date() });
  writeFileSync(path, interactions.map((record) => JSON.stringify(record)).join("\n") + "\n");
}

const TURNS = 3;

function runImport(db: string, input: string): { ms: number; maxRssBytes: number; inserted: number } {
  const script = `
    import { openStore, importInteractions } from ${JSON.stringify(join(import.meta.dirname, "../dist/index.js"))};
    const store = await openStore(${JSON.stringify(db)});
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

/** The floor: the same interactions parsed and built beforehand, then only written, 1000 per insertMany. */
function runInsertMany(db: string, input: string): { ms: number; inserted: number } {
  const script = `
    import { readFileSync } from "node:fs";
    import { openStore, InteractionInput, buildInteractionDoc, COLLECTIONS } from ${JSON.stringify(join(import.meta.dirname, "../dist/index.js"))};
    const now = new Date();
    const docs = readFileSync(${JSON.stringify(input)}, "utf8").trim().split("\\n").map((line) => buildInteractionDoc(InteractionInput.parse(JSON.parse(line)), now));
    const store = await openStore(${JSON.stringify(db)});
    const interactions = store.collection(COLLECTIONS.interactions);
    const start = performance.now();
    for (let i = 0; i < docs.length; i += 1000) await interactions.insertMany(docs.slice(i, i + 1000));
    const ms = performance.now() - start;
    await store.close();
    console.log(JSON.stringify({ ms, inserted: docs.length }));
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 16 << 20 });
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
    const a = runImport(join(dir, "small.db"), small);
    const turns = inTurns(TURNS, (turn) => {
      const imported = runImport(join(dir, `import-${turn}.db`), large);
      const floor = runInsertMany(join(dir, `insert-many-${turn}.db`), large);
      return { measured: imported, baseline: floor, ratio: imported.inserted / imported.ms / (floor.inserted / floor.ms) };
    });
    const { measured: b, baseline: floor, ratio: speed } = turns.median;
    const peaks = turns.all.map((turn) => turn.measured.maxRssBytes);
    const peak = median(peaks);
    const growth = peak / a.maxRssBytes;
    return [
      {
        name: "import vs insertMany: 100k interactions (JSONL file → embedded)",
        value: `${perSecond(b.inserted, b.ms)} (${(b.ms / 1000).toFixed(1)} s; ratios ${turns.ratios}, median shown)`,
        baseline: `${perSecond(floor.inserted, floor.ms)} insertMany of parsed documents (${(floor.ms / 1000).toFixed(1)} s)`,
        ratio: speed,
        goal: "≥ 0.5x",
        pass: speed >= 0.5,
      },
      { name: "import peak RSS, 100k vs 10k lines", value: `${mb(peak)} (median of ${peaks.map(mb).join(", ")})`, baseline: mb(a.maxRssBytes), ratio: growth, goal: "≤ 1.5x (flat)", pass: growth <= 1.5 },
    ];
  } finally {
    cleanup();
  }
}
