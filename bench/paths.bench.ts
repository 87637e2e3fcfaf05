/**
 * `fast path: …`: which way the embedded engine answered each read of the services' hot queries,
 * from its read-paths channel, against the way each is meant to run. A query that falls off its
 * fast path (a sort done in memory, a group run by mingo over whole documents) shows here as a
 * MISS long before it shows as a slow command. The ratio is the share of reads on their path.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { analytics } from "../src/services/analytics.js";
import { feedbackStats } from "../src/services/feedback.js";
import { metricsHistory } from "../src/services/metrics.js";
import { detectPatterns, userPatterns } from "../src/services/patterns.js";
import { progressHistory } from "../src/services/progress.js";
import { listQueue, reviewConflicts } from "../src/services/queue.js";
import { seedDemoData } from "../src/services/seed.js";
import { READ_PATHS, type ReadEvent } from "../src/store/embedded/read-paths.js";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/store.js";
import type { BenchLine } from "./harness.js";

/** A read is on its path when it matches every field of one of these. */
type Expected = Array<Partial<Pick<ReadEvent, "operation" | "scan" | "group" | "exact">>>;

interface HotQuery {
  name: string;
  /** The collection whose reads are judged; other reads (writes' lookups) are not. */
  collection: string;
  expected: Expected;
  run: (store: Store) => Promise<unknown>;
}

const QUERIES: HotQuery[] = [
  { name: "analytics fluency by day", collection: "ai_interactions", expected: [{ group: "sql" }], run: (store) => analytics(store, { metric: "fluency", group_by: "day" }) },
  { name: "analytics fluency by week in a time zone", collection: "ai_interactions", expected: [{ group: "sql" }], run: (store) => analytics(store, { metric: "fluency", group_by: "week", tz: "Asia/Kolkata" }) },
  { name: "analytics fluency by level", collection: "ai_interactions", expected: [{ group: "sql" }], run: (store) => analytics(store, { metric: "fluency", group_by: "level" }) },
  { name: "analytics fluency overall (no grouping)", collection: "ai_interactions", expected: [{ group: "sql" }], run: (store) => analytics(store, { metric: "fluency" }) },
  { name: "analytics grammar by day in a time zone", collection: "ai_interactions", expected: [{ group: "sql" }], run: (store) => analytics(store, { metric: "grammar", group_by: "day", tz: "Asia/Kolkata" }) },
  { name: "patterns detect", collection: "ai_interactions", expected: [{ group: "sql" }], run: (store) => detectPatterns(store, {}) },
  // One learner's window, narrowed by the index: mingo's pipeline over it is cheap.
  { name: "patterns of one learner", collection: "ai_interactions", expected: [{ group: "pipeline" }], run: (store) => userPatterns(store, { user_id: "user_001" }) },
  // Groups by verdict, then counts the verdicts flagged by reported issues alone.
  { name: "feedback stats", collection: "user_feedback", expected: [{ group: "decoded rows" }, { operation: "countDocuments" }], run: (store) => feedbackStats(store, {}) },
  { name: "queue list", collection: "training_queue", expected: [{ scan: "index order" }], run: (store) => listQueue(store, {}) },
  { name: "review conflicts", collection: "training_queue", expected: [{ scan: "index order" }], run: (store) => reviewConflicts(store, {}) },
  { name: "progress history", collection: "user_progress", expected: [{ scan: "index order", exact: true }], run: (store) => progressHistory(store, { user_id: "user_001" }) },
  { name: "metrics history", collection: "model_metrics", expected: [{ scan: "index order", exact: true }], run: (store) => metricsHistory(store, { model_name: "tutor-llm" }) },
];

function onPath(event: ReadEvent, expected: Expected): boolean {
  return expected.some((pattern) => Object.entries(pattern).every(([key, value]) => event[key as keyof ReadEvent] === value));
}

function describe(event: ReadEvent): string {
  return [event.scan, event.group ? `group ${event.group}` : "", event.exact ? "exact" : "mingo-tested"].filter(Boolean).join(", ");
}

export async function pathsBench(): Promise<BenchLine[]> {
  const store = await openStore(":memory:");
  try {
    await seedDemoData(store, { interactions: 5000, users: 100 });
    const lines: BenchLine[] = [];
    for (const query of QUERIES) {
      const events: ReadEvent[] = [];
      const listen = (message: unknown) => {
        if ((message as ReadEvent).collection === query.collection) events.push(message as ReadEvent);
      };
      subscribe(READ_PATHS.name, listen);
      const start = performance.now();
      try {
        await query.run(store);
      } finally {
        unsubscribe(READ_PATHS.name, listen);
      }
      const ms = performance.now() - start;
      const kept = events.filter((event) => onPath(event, query.expected)).length;
      const ratio = events.length ? kept / events.length : 0;
      lines.push({
        name: `fast path: ${query.name}`,
        value: `${[...new Set(events.map(describe))].join("; ") || "no read"} (${ms.toFixed(0)} ms, 5k interactions)`,
        baseline: JSON.stringify(query.expected),
        ratio,
        goal: "1.00x of reads on path",
        pass: ratio === 1,
      });
    }
    return lines;
  } finally {
    await store.close();
  }
}
