/**
 * Insights over many interactions: fluency by day and pattern detection.
 * - `analytics vs hand SQL`, `patterns vs hand SQL`: lexi's services against the naive SQL a user
 *   would write over the same SQLite file (json_extract GROUP BY), in this process (goal ≤ 1.0x).
 * - `analytics vs DuckDB`, `patterns vs DuckDB`: the whole `lexi` command against a whole process
 *   answering the same question with DuckDB over the same interactions as JSONL, the tool an ML
 *   engineer would pick instead (goal ≤ 1.0x), with equal answers. The two run in turn, three
 *   times, and the line reports the median ratio: one whole process on this shared machine can
 *   take 1.4x the time of the next with nothing changed.
 * Sizes: LEXI_BENCH_ANALYTICS_ITEMS, a comma-separated list (default 200000,1000000).
 */
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import Database from "better-sqlite3";
import { generateDemoData } from "../src/domain/demo-data.js";
import { InteractionInput } from "../src/schema/interaction.js";
import { analytics } from "../src/services/analytics.js";
import { detectPatterns } from "../src/services/patterns.js";
import { buildInteractionDoc } from "../src/services/interactions.js";
import { COLLECTIONS } from "../src/store/collections.js";
import { openStore } from "../src/store/open-store.js";
import { type BenchLine, inTurns, scratchDir, time, timeAsync } from "./harness.js";

const SIZES = (process.env.LEXI_BENCH_ANALYTICS_ITEMS ?? "200000,1000000").split(",").map(Number);
const PATTERN_DAYS = 7;
const COMMAND_TURNS = 3;
const LEXI_BIN = join(import.meta.dirname, "../bin/lexi.cjs");
const DUCKDB_SCRIPT = join(import.meta.dirname, "duckdb-insights.mjs");

/**
 * `lexi patterns detect` counts from its own clock, minutes after `now`; no interaction lies within
 * six hours of the window's start, so lexi and DuckDB (given the start for `now`) count the same ones.
 */
function clearOfPatternCutoff(timestamp: Date, now: Date): Date {
  const hour = 3_600_000;
  const cutoff = now.getTime() - PATTERN_DAYS * 86_400_000;
  const t = timestamp.getTime();
  return Math.abs(t - cutoff) < 6 * hour ? new Date(t - 12 * hour) : timestamp;
}

/** The store at `path` and the same interactions as JSONL at `jsonl`, timestamps spread over 90 days. */
async function buildData(path: string, jsonl: string, count: number, now: Date): Promise<void> {
  const store = await openStore(path, { retentionDays: 0 });
  const { interactions } = generateDemoData({ users: 2000, interactions: 20_000, days: 90, seed: 12, now });
  const base = interactions.map((input) => buildInteractionDoc(InteractionInput.parse(input), now));
  const collection = store.collection(COLLECTIONS.interactions);
  const out = createWriteStream(jsonl);
  for (let i = 0; i < count; i += 5000) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 5000); j++) {
      const doc = base[j % base.length]!;
      batch.push({ ...doc, _id: `a-${j}`, timestamp: clearOfPatternCutoff(new Date(doc.timestamp.getTime() - (j % 7) * 3_600_000), now) });
    }
    await collection.insertMany(batch);
    if (!out.write(batch.map((doc) => JSON.stringify(doc)).join("\n") + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  await store.close();
}

/**
 * One whole process. The store keeps interactions forever (it was built with retention 0), and
 * the command is told so: with another retention it would first build the retention index and
 * sweep, the one-time cost of changing a store's retention, not of answering the question.
 */
function wholeCommand(args: string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, LEXI_DB: "", LEXI_RETENTION_DAYS: "0" } });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

type FluencyRow = { group: string; interactions: number; avg: number };
type PatternRow = { type: string; level: string; frequency: number; users: number };

function sameFluency(lexi: FluencyRow[], other: FluencyRow[]): boolean {
  const byGroup = new Map(other.map((row) => [row.group, row]));
  return lexi.length === other.length && lexi.every((row) => byGroup.get(row.group)?.interactions === row.interactions && Math.abs(byGroup.get(row.group)!.avg - row.avg) <= 1e-9);
}

function samePatterns(lexi: PatternRow[], other: PatternRow[]): boolean {
  const key = (row: PatternRow) => `${row.type}|${row.level}|${row.frequency}|${row.users}`;
  const theirs = new Set(other.map(key));
  return lexi.length === other.length && lexi.every((row) => theirs.has(key(row)));
}

function line(name: string, ms: number, baselineMs: number, baseline: string, equal: boolean, ratios?: string): BenchLine {
  const ratio = ms / baselineMs;
  return {
    name,
    value: `${(ms / 1000).toFixed(2)} s${ratios ? ` (ratios ${ratios}, median shown)` : ""}${equal ? "" : " (ANSWERS DIFFER)"}`,
    baseline: `${(baselineMs / 1000).toFixed(2)} s ${baseline}`,
    ratio,
    goal: "≤ 1.0x",
    pass: equal && ratio <= 1,
  };
}

/**
 * A lexi command against the DuckDB script in turn, COMMAND_TURNS times; the median turn, and
 * whether every turn's answers were equal.
 */
function commandTurns(lexiArgs: string[], duckArgs: string[], same: (lexi: string, duck: string) => boolean) {
  let equal = true;
  const turns = inTurns(COMMAND_TURNS, () => {
    const lexi = wholeCommand([LEXI_BIN, ...lexiArgs]);
    const duck = wholeCommand([DUCKDB_SCRIPT, ...duckArgs]);
    equal &&= same(lexi.stdout, duck.stdout);
    return { measured: lexi, baseline: duck, ratio: lexi.ms / duck.ms };
  });
  return { lexiMs: turns.median.measured.ms, duckMs: turns.median.baseline.ms, ratios: turns.ratios, equal };
}

async function benchSize(dir: string, count: number): Promise<BenchLine[]> {
  const path = join(dir, `analytics-${count}.db`);
  const jsonl = join(dir, `interactions-${count}.jsonl`);
  const now = new Date();
  await buildData(path, jsonl, count, now);
  const size = count.toLocaleString("en");

  const store = await openStore(path, { retentionDays: 0 });
  const engineFluency = await timeAsync(() => analytics(store, { metric: "fluency", group_by: "day" }));
  const enginePatterns = await timeAsync(() => detectPatterns(store, { days: PATTERN_DAYS, min_frequency: 1 }, now));
  await store.close();

  const since = new Date(now.getTime() - PATTERN_DAYS * 86_400_000).toISOString();
  const db = new Database(path, { readonly: true });
  const sqlFluency = time(() =>
    db
      .prepare<[], FluencyRow>(`SELECT substr(json_extract(doc, '$.timestamp."$date"'), 1, 10) AS "group", count(*) AS interactions,
          avg(json_extract(doc, '$.analysis.fluency_score')) AS avg FROM docs_ai_interactions GROUP BY 1`)
      .all(),
  );
  const sqlPatterns = time(() =>
    db
      .prepare<[string], PatternRow>(`SELECT json_extract(e.value, '$.type') AS type, json_extract(d.doc, '$.analysis.vocabulary_level') AS level,
          count(*) AS frequency, count(DISTINCT json_extract(d.doc, '$.user_id')) AS users
        FROM docs_ai_interactions d, json_each(d.doc, '$.analysis.grammar_errors') e
        WHERE json_extract(d.doc, '$.timestamp."$date"') >= ? GROUP BY 1, 2`)
      .all(since),
  );
  db.close();
  const lexiFluency = engineFluency.result.data as FluencyRow[];
  const lexiPatterns = enginePatterns.result.map((p) => ({ type: p.error_type, level: p.level, frequency: p.frequency, users: p.affected_users }));

  const fluencyCommands = commandTurns(["analytics", "--metric", "fluency", "--group-by", "day", "--json", "--db", path], ["fluency", jsonl], (lexi, duck) =>
    sameFluency((JSON.parse(lexi) as { data: FluencyRow[] }).data, JSON.parse(duck) as FluencyRow[]),
  );
  const patternCommands = commandTurns(["patterns", "detect", "--days", String(PATTERN_DAYS), "--min-frequency", "1", "--json", "--db", path], ["patterns", jsonl, since], (lexi, duck) =>
    samePatterns(
      (JSON.parse(lexi) as Array<{ error_type: string; level: string; frequency: number; affected_users: number }>).map((p) => ({ type: p.error_type, level: p.level, frequency: p.frequency, users: p.affected_users })),
      JSON.parse(duck) as PatternRow[],
    ),
  );

  return [
    line(`analytics vs hand SQL: fluency by day, ${size} interactions`, engineFluency.ms, sqlFluency.ms, "hand SQL", sameFluency(lexiFluency, sqlFluency.result)),
    line(`patterns vs hand SQL: ${PATTERN_DAYS} days, ${size} interactions`, enginePatterns.ms, sqlPatterns.ms, "hand SQL", samePatterns(lexiPatterns, sqlPatterns.result)),
    line(`analytics vs DuckDB: whole commands, ${size} interactions`, fluencyCommands.lexiMs, fluencyCommands.duckMs, "DuckDB over JSONL", fluencyCommands.equal, fluencyCommands.ratios),
    line(`patterns vs DuckDB: whole commands, ${size} interactions`, patternCommands.lexiMs, patternCommands.duckMs, "DuckDB over JSONL", patternCommands.equal, patternCommands.ratios),
  ];
}

export async function analyticsBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const lines: BenchLine[] = [];
    for (const count of SIZES) lines.push(...(await benchSize(dir, count)));
    return lines;
  } finally {
    cleanup();
  }
}
