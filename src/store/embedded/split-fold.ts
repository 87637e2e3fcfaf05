/**
 * A group over a large table, folded by two threads: the table's rowid range is cut in two, a
 * worker thread folds the upper half with its own read-only connection while this thread folds
 * the lower, and the two lists of partial groups are put together (partial groups merge however
 * many there are). This thread waits for the worker through a shared integer, not its event
 * loop, so a group stays one synchronous read.
 *
 * Each half is read by its own connection at its own moment: like a MongoDB aggregation, which is
 * no point-in-time read either, a write that commits while the group runs may be counted in one
 * half. Inside a transaction (whose writes only its own connection sees), on a store in memory,
 * without the built worker (lexi run from its sources) or on a small table, one thread folds all.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import type { FoldSpec, HashGroupFunction, PartialGroup } from "./hash-group.js";
import { DONE, STARTED, WAITING, newSplitSignal } from "./split-signal.js";

const WORKER_FILE = fileURLToPath(new URL("./group-worker.js", import.meta.url));
/** Below this many rows, a worker's start (30–50 ms) costs more than folding half the rows saves. */
const SPLIT_MIN_ROWS = 100_000;
/** A worker that has not started by then is given up, and its half folded here. */
const START_TIMEOUT_MS = 5_000;

export interface FoldContext {
  db: Database.Database;
  hashGroup: HashGroupFunction;
  /** The store file, or `:memory:`. */
  path: string;
  nativeBinding?: string;
  mmapBytes: number;
}

/**
 * The partial groups of `statement` (its SQL `sql`), whose last two parameters bound the rowids
 * it reads (from, inclusive, to, exclusive), over the rows of `table`.
 */
export function foldRows(context: FoldContext, table: string, statement: Database.Statement, sql: string, params: unknown[], spec: FoldSpec): { found: PartialGroup[]; threads: number } {
  const { low, high } = context.db.prepare(`SELECT min(rid) AS low, max(rid) AS high FROM "${table}"`).get() as { low: number | null; high: number | null };
  const from = low ?? 0;
  const to = (high ?? -1) + 1;
  const splittable = context.path !== ":memory:" && !context.db.inTransaction && to - from >= SPLIT_MIN_ROWS && existsSync(WORKER_FILE);
  if (!splittable) return { found: context.hashGroup.run(statement, [...params, from, to], spec), threads: 1 };
  const middle = from + Math.floor((to - from) / 2);
  const upperHalf = startWorker(context, sql, [...params, middle, to], spec);
  const lower = context.hashGroup.run(statement, [...params, from, middle], spec);
  const upper = upperHalf?.();
  if (upper) return { found: [...lower, ...upper], threads: 2 };
  return { found: [...lower, ...context.hashGroup.run(statement, [...params, middle, to], spec)], threads: 1 };
}

/** Starts the worker on its half; what it answers waits for it (undefined when it failed, to fold here). */
function startWorker(context: FoldContext, sql: string, params: unknown[], spec: FoldSpec): (() => PartialGroup[] | undefined) | undefined {
  try {
    // Loaded only now: most commands never split a group, and loading the module costs each of them.
    const { Worker, MessageChannel, receiveMessageOnPort } = process.getBuiltinModule("node:worker_threads");
    const signal = newSplitSignal();
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_FILE, {
      workerData: { path: context.path, nativeBinding: context.nativeBinding, mmapBytes: context.mmapBytes, sql, params, spec, port: port2, signal },
      transferList: [port2],
      // No inherited flags: some (--input-type, -e) only make sense for the main thread.
      execArgv: [],
    });
    worker.unref();
    return () => {
      try {
        if (Atomics.wait(signal, 0, WAITING, START_TIMEOUT_MS) === "timed-out" && Atomics.load(signal, 0) === WAITING) {
          void worker.terminate();
          return undefined;
        }
        while (Atomics.load(signal, 0) === STARTED) Atomics.wait(signal, 0, STARTED);
        const answer = receiveMessageOnPort(port1)?.message as { found: PartialGroup[] } | { error: string } | undefined;
        return answer && "found" in answer && Atomics.load(signal, 0) === DONE ? answer.found : undefined;
      } finally {
        port1.close();
      }
    };
  } catch {
    return undefined;
  }
}
