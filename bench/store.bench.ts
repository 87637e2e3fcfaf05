/**
 * Embedded engine: batched insert throughput, and full-scan read throughput against reading the
 * same rows straight from better-sqlite3 with JSON.parse (goal ≥ 0.5x).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { openStore } from "../src/store/open-store.js";
import { generateDemoData } from "../src/domain/demo-data.js";
import { InteractionInput } from "../src/schema/interaction.js";
import { buildInteractionDoc } from "../src/services/interactions.js";
import { type BenchLine, median, perSecond, scratchDir, time, timeAsync } from "./harness.js";

const COUNT = 100_000;

export async function storeBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const now = new Date();
    const demo = generateDemoData({ users: 50, interactions: COUNT, days: 30, seed: 1, now });
    const docs = demo.interactions.map((input) => buildInteractionDoc(InteractionInput.parse(input), now));
    const path = join(dir, "bench.db");
    const store = await openStore(path);
    const things = store.collection("bench_docs");
    const inserted = await timeAsync(async () => {
      for (let i = 0; i < docs.length; i += 1000) await things.insertMany(docs.slice(i, i + 1000));
    });
    // The baseline: the same rows, inserted by hand in 1000-row transactions.
    const raw = new Database(join(dir, "raw.db"));
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.exec("CREATE TABLE t (rid INTEGER PRIMARY KEY, id TEXT UNIQUE, doc TEXT)");
    const insertRow = raw.prepare("INSERT INTO t (id, doc) VALUES (?, ?)");
    const rawInsert = time(() => {
      for (let i = 0; i < docs.length; i += 1000) {
        raw.transaction(() => docs.slice(i, i + 1000).forEach((doc) => insertRow.run(String(doc._id), JSON.stringify(doc))))();
      }
    });

    const engineRuns: number[] = [];
    const rawRuns: number[] = [];
    const rawStatement = (store as unknown as { engine: { db: Database.Database } }).engine.db.prepare('SELECT doc FROM "docs_bench_docs"');
    for (let run = 0; run < 3; run++) {
      engineRuns.push(
        (await timeAsync(async () => {
          let n = 0;
          for await (const _ of things.find({})) n++;
          if (n !== COUNT) throw new Error(`read ${n}`);
        })).ms,
      );
      rawRuns.push(
        time(() => {
          let n = 0;
          for (const row of rawStatement.iterate() as Iterable<{ doc: string }>) {
            JSON.parse(row.doc);
            n++;
          }
          if (n !== COUNT) throw new Error(`raw read ${n}`);
        }).ms,
      );
    }
    // A whole scan in index order, paged by keyset, against the insertion-order scan above.
    await things.createIndexes([{ name: "timestamp_-1", keys: { timestamp: -1 } }]);
    const sortedRuns: number[] = [];
    for (let run = 0; run < 3; run++) {
      sortedRuns.push(
        (await timeAsync(async () => {
          let n = 0;
          for await (const _ of things.find({}, { sort: { timestamp: -1 } })) n++;
          if (n !== COUNT) throw new Error(`sorted read ${n}`);
        })).ms,
      );
    }
    await store.close();
    raw.close();
    const sorted = median(sortedRuns);
    const read = median(engineRuns);
    const rawRead = median(rawRuns);
    return [
      {
        name: `embedded insertMany (1000/batch, ${COUNT.toLocaleString("en")} interactions)`,
        value: perSecond(COUNT, inserted.ms),
        baseline: `${perSecond(COUNT, rawInsert.ms)} raw SQLite`,
        ratio: rawInsert.ms / inserted.ms,
        goal: "reported",
        pass: true,
      },
      {
        name: "embedded full-scan read vs better-sqlite3 + JSON.parse",
        value: perSecond(COUNT, read),
        baseline: perSecond(COUNT, rawRead),
        ratio: rawRead / read,
        goal: "≥ 0.5x",
        pass: rawRead / read >= 0.5,
      },
      {
        name: "embedded sorted scan (index order) vs insertion-order scan",
        value: perSecond(COUNT, sorted),
        baseline: perSecond(COUNT, read),
        ratio: read / sorted,
        goal: "≥ 0.5x",
        pass: read / sorted >= 0.5,
      },
    ];
  } finally {
    cleanup();
  }
}
