/**
 * Export throughput against a raw dump of the same documents by the same engine to the same disk
 * (goal ≥ 0.9x), and peak memory at 100k against 1M queue items (goal: flat). Each run is its own
 * process so that its peak RSS is its own. At 1M the dump and the export run in turn, three times,
 * and the lines report the median of the three ratios and of the three peaks: on a shared machine
 * one pair can differ by 1.5x from the next with nothing changed.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { generateDemoData } from "../src/domain/demo-data.js";
import { InteractionInput } from "../src/schema/interaction.js";
import { buildInteractionDoc } from "../src/services/interactions.js";
import { buildQueueItem } from "../src/services/queue-items.js";
import { COLLECTIONS } from "../src/store/collections.js";
import { openStore } from "../src/store/open-store.js";
import { type BenchLine, inTurns, mb, median, perSecond, scratchDir } from "./harness.js";

const TURNS = 3;
const DIST = JSON.stringify(join(import.meta.dirname, "../dist/index.js"));

async function buildQueue(path: string, count: number): Promise<void> {
  const store = await openStore(path);
  const now = new Date();
  const { interactions } = generateDemoData({ users: 500, interactions: 5000, days: 60, seed: 4, now });
  const base = interactions.map((input) => buildInteractionDoc(InteractionInput.parse(input), now));
  const queue = store.collection(COLLECTIONS.queue);
  for (let i = 0; i < count; i += 5000) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 5000); j++) {
      const interaction = base[j % base.length]!;
      const item = buildQueueItem({ ...interaction, _id: `bench-${j}`, user_input: { ...interaction.user_input, text: `${interaction.user_input.text} (${j})` } }, { tasks: ["grammar", "fluency"], quality: 0.7 + (j % 30) / 100, origin: "auto", now });
      batch.push(item);
    }
    await queue.insertMany(batch);
  }
  await store.close();
}

function child(script: string): { ms: number; rss: number; count: number } {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").pop()!);
}

function rawDump(db: string, out: string) {
  return child(`
    import { createWriteStream } from "node:fs";
    import { once } from "node:events";
    import { openStore, COLLECTIONS } from ${DIST};
    const store = await openStore(${JSON.stringify(db)});
    const start = performance.now();
    const file = createWriteStream(${JSON.stringify(out)});
    let count = 0;
    for await (const doc of store.collection(COLLECTIONS.queue).find({}, { sort: { _id: 1 } })) {
      count++;
      if (!file.write(JSON.stringify(doc) + "\\n")) await once(file, "drain");
    }
    file.end();
    await once(file, "finish");
    const ms = performance.now() - start;
    await store.close();
    console.log(JSON.stringify({ ms, rss: process.resourceUsage().maxRSS * 1024, count }));
  `);
}

function lexiExport(db: string, out: string) {
  return child(`
    import { openStore, exportDataset } from ${DIST};
    const store = await openStore(${JSON.stringify(db)});
    const start = performance.now();
    const result = await exportDataset(store, { min_quality_score: 0, task_types: ["grammar"], format: "openai" }, { path: ${JSON.stringify(out)} });
    const ms = performance.now() - start;
    await store.close();
    console.log(JSON.stringify({ ms, rss: process.resourceUsage().maxRSS * 1024, count: result.counts.records }));
  `);
}

export async function exportBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const smallDb = join(dir, "queue-small.db");
    await buildQueue(smallDb, 100_000);
    const small = lexiExport(smallDb, join(dir, "export-small"));
    const size = Number(process.env.LEXI_BENCH_EXPORT_ITEMS ?? 1_000_000);
    const db = join(dir, "queue-large.db");
    await buildQueue(db, size);
    const turns = inTurns(TURNS, (turn) => {
      const raw = rawDump(db, join(dir, `raw-${turn}.jsonl`));
      const exported = lexiExport(db, join(dir, `export-${turn}`));
      rmSync(join(dir, `raw-${turn}.jsonl`));
      rmSync(join(dir, `export-${turn}`), { recursive: true });
      return { measured: exported, baseline: raw, ratio: exported.count / exported.ms / (raw.count / raw.ms) };
    });
    const { measured: exported, baseline: raw, ratio: speed } = turns.median;
    const peaks = turns.all.map((turn) => turn.measured.rss);
    const peak = median(peaks);
    const growth = peak / small.rss;
    return [
      {
        name: `export vs raw dump: ${size.toLocaleString("en")} queue items (openai, dedup on)`,
        value: `${perSecond(exported.count, exported.ms)} (${(exported.ms / 1000).toFixed(1)} s; ratios ${turns.ratios}, median shown)`,
        baseline: `${perSecond(raw.count, raw.ms)} raw dump (${(raw.ms / 1000).toFixed(1)} s)`,
        ratio: speed,
        goal: "≥ 0.9x",
        pass: speed >= 0.9,
      },
      { name: `export peak RSS, ${size.toLocaleString("en")} vs 100k items`, value: `${mb(peak)} (median of ${peaks.map(mb).join(", ")})`, baseline: mb(small.rss), ratio: growth, goal: "≤ 1.5x (flat)", pass: growth <= 1.5 },
    ];
  } finally {
    cleanup();
  }
}
