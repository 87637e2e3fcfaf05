/**
 * Analytics and pattern detection over 1,000,000 interactions in the embedded store, against a
 * hand-written SQL query over the same SQLite file computing the same numbers (goal ≤ 2x).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { generateDemoData } from "../src/domain/demo-data.js";
import { InteractionInput } from "../src/schema/interaction.js";
import { analytics } from "../src/services/analytics.js";
import { detectPatterns } from "../src/services/patterns.js";
import { buildInteractionDoc } from "../src/services/interactions.js";
import { COLLECTIONS } from "../src/store/collections.js";
import { openStore } from "../src/store/open-store.js";
import { type BenchLine, scratchDir, time, timeAsync } from "./harness.js";

const COUNT = Number(process.env.LEXI_BENCH_ANALYTICS_ITEMS ?? 1_000_000);

export async function analyticsBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const path = join(dir, "analytics.db");
    const store = await openStore(path, { retentionDays: 0 });
    const now = new Date();
    const { interactions } = generateDemoData({ users: 2000, interactions: 20_000, days: 90, seed: 12, now });
    const base = interactions.map((input) => buildInteractionDoc(InteractionInput.parse(input), now));
    const collection = store.collection(COLLECTIONS.interactions);
    for (let i = 0; i < COUNT; i += 5000) {
      const batch = [];
      for (let j = i; j < Math.min(COUNT, i + 5000); j++) {
        const doc = base[j % base.length]!;
        batch.push({ ...doc, _id: `a-${j}`, timestamp: new Date(doc.timestamp.getTime() - (j % 7) * 3_600_000) });
      }
      await collection.insertMany(batch);
    }
    const engineFluency = await timeAsync(() => analytics(store, { metric: "fluency", group_by: "day" }));
    const since = new Date(now.getTime() - 120 * 86_400_000);
    const enginePatterns = await timeAsync(() => detectPatterns(store, { days: 120, min_frequency: 1 }, now));
    await store.close();

    const db = new Database(path, { readonly: true });
    const sqlFluency = time(() =>
      db
        .prepare(`SELECT substr(json_extract(doc, '$.timestamp."$date"'), 1, 10) AS day, count(*) AS n,
            avg(json_extract(doc, '$.analysis.fluency_score')) AS avg, min(json_extract(doc, '$.analysis.fluency_score')) AS min,
            max(json_extract(doc, '$.analysis.fluency_score')) AS max FROM docs_ai_interactions GROUP BY day`)
        .all(),
    );
    const sqlPatterns = time(() =>
      db
        .prepare(`WITH errors AS (
            SELECT json_extract(e.value, '$.type') AS type, json_extract(d.doc, '$.analysis.vocabulary_level') AS level,
                   json_extract(d.doc, '$.user_id') AS user, json_extract(e.value, '$.error') AS error, json_extract(e.value, '$.correction') AS correction
            FROM docs_ai_interactions d, json_each(d.doc, '$.analysis.grammar_errors') e
            WHERE json_extract(d.doc, '$.timestamp."$date"') >= ?)
          SELECT type, level, count(*) AS frequency, count(DISTINCT user) AS users FROM errors GROUP BY type, level`)
        .all(since.toISOString()),
    );
    db.close();
    if (engineFluency.result.data.length !== sqlFluency.result.length) throw new Error("fluency groups differ from SQL");
    if (enginePatterns.result.length !== sqlPatterns.result.length) throw new Error("pattern groups differ from SQL");
    const fluencyRatio = engineFluency.ms / sqlFluency.ms;
    const patternRatio = enginePatterns.ms / sqlPatterns.ms;
    return [
      { name: `analytics fluency by day, ${COUNT.toLocaleString("en")} interactions`, value: `${(engineFluency.ms / 1000).toFixed(1)} s`, baseline: `${(sqlFluency.ms / 1000).toFixed(1)} s hand SQL`, ratio: fluencyRatio, goal: "≤ 2x", pass: fluencyRatio <= 2 },
      { name: `patterns detect, ${COUNT.toLocaleString("en")} interactions`, value: `${(enginePatterns.ms / 1000).toFixed(1)} s`, baseline: `${(sqlPatterns.ms / 1000).toFixed(1)} s hand SQL`, ratio: patternRatio, goal: "≤ 2x", pass: patternRatio <= 2 },
    ];
  } finally {
    cleanup();
  }
}
