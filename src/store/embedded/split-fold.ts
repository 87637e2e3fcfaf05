/**
 * A group over a large table, folded by two threads: the table's rowid range is cut in two, a
 * worker thread folds the upper half with its own read-only connection while this thread folds
 * the lower, and the two lists of partial groups are put together (partial groups merge however
 * many there are). This thread waits for the worker through a shared integer, not its event
 * loop, so a group stays one synchronous read.
 *
 * Each half is read by its own connection at its own moment: like a MongoDB aggregation, which is
 * no point-in-time read either, a write that commits while the group runs may be counted in one
 * half. One thread folds everything inside a transaction (whose writes only its own connection
 * sees), on a store in memory, when the store file was replaced since it was opened, without the
 * built worker (lexi run from its sources), on a small table, and when a filter chose the rows
 * (an index finds them: the rowids say nothing of how many there are). A group with many keys
 * (learners, sessions) is finished here too once its first half shows it: handing tens of
 * thousands of partial groups across threads costs more than folding them.
 */
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import type { FoldSpec, HashGroupFunction, PartialGroup } from "./hash-group.js";
import { DONE, STARTED, WAITING, newSplitSignal } from "./split-signal.js";

const WORKER_FILE = fileURLToPath(new URL("./group-worker.js", import.meta.url));
/** Below this many rows, a worker's start (30–50 ms) costs more than folding half the rows saves. */
const SPLIT_MIN_ROWS = 100_000;
/** A worker that has not started by then is given up, and its half folded here. */
const START_TIMEOUT_MS = 5_000;
/** Past this many partial groups in this thread's half, the other half is folded here too. */
const MANY_GROUPS = 20_000;
/** How long the worker may take over this thread's time for the same number of rows, at least. */
const LATE_AFTER_MS = 30_000;
const LATE_FACTOR = 20;

export interface FoldContext {
  db: Database.Database;
  hashGroup: HashGroupFunction;
  /** The store file, or `:memory:`. */
  path: string;
  /** The store file's inode when it was opened: a worker opening the path must find the same file. */
  inode?: number;
  nativeBinding?: string;
  mmapBytes: number;
}

/** Whether the whole table (`filtered`: false) may be folded in two halves. */
function splittable(context: FoldContext, filtered: boolean): boolean {
  if (filtered || context.path === ":memory:" || context.db.inTransaction || !existsSync(WORKER_FILE)) return false;
  try {
    return statSync(context.path).ino === context.inode;
  } catch {
    return false;
  }
}

/**
 * The partial groups of `statement` (its SQL `sql`), whose last two parameters bound the rowids
 * it reads (from, inclusive, to, exclusive), over the rows of `table`; `filtered` when the
 * statement has a filter of its own.
 */
export function foldRows(context: FoldContext, table: string, statement: Database.Statement, sql: string, params: unknown[], spec: FoldSpec, filtered: boolean): { found: PartialGroup[]; threads: number } {
  const whole = [...params, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  if (!splittable(context, filtered)) return { found: context.hashGroup.run(statement, whole, spec), threads: 1 };
  // Two subqueries: SQLite answers each from the rowid tree's ends, where one min-and-max query scans it.
  const { low, high } = context.db.prepare(`SELECT (SELECT min(rid) FROM "${table}") AS low, (SELECT max(rid) FROM "${table}") AS high`).get() as { low: number | null; high: number | null };
  if (low === null || high === null || high + 1 - low < SPLIT_MIN_ROWS) return { found: context.hashGroup.run(statement, whole, spec), threads: 1 };
  const middle = low + Math.floor((high + 1 - low) / 2);
  const upperParams = [...params, middle, high + 1];
  const upperHalf = startWorker(context, sql, upperParams, spec);
  const started = performance.now();
  const lower = context.hashGroup.run(statement, [...params, low, middle], spec);
  const upper = upperHalf?.(lower.length > MANY_GROUPS ? 0 : Math.max(LATE_AFTER_MS, LATE_FACTOR * (performance.now() - started)));
  if (upper) return { found: [...lower, ...upper], threads: 2 };
  return { found: [...lower, ...context.hashGroup.run(statement, upperParams, spec)], threads: 1 };
}

/**
 * Starts the worker on its half. What it returns waits at most `patienceMs` for the worker's
 * groups (none when 0): undefined when the worker failed, is late or is not waited for, and the
 * caller folds that half itself.
 */
function startWorker(context: FoldContext, sql: string, params: unknown[], spec: FoldSpec): ((patienceMs: number) => PartialGroup[] | undefined) | undefined {
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
    // A worker that fails to load says so as an event, after this read: its half is folded here.
    worker.on("error", () => undefined);
    worker.unref();
    return (patienceMs) => {
      try {
        const deadline = performance.now() + patienceMs;
        const left = () => Math.max(0, deadline - performance.now());
        if (Atomics.load(signal, 0) === WAITING && patienceMs > 0) Atomics.wait(signal, 0, WAITING, Math.min(START_TIMEOUT_MS, left()));
        while (Atomics.load(signal, 0) === STARTED && left() > 0) Atomics.wait(signal, 0, STARTED, left());
        if (Atomics.load(signal, 0) !== DONE) return undefined;
        const answer = receiveMessageOnPort(port1)?.message as { found: PartialGroup[] } | { error: string } | undefined;
        return answer && "found" in answer ? answer.found : undefined;
      } finally {
        port1.close();
        if (Atomics.load(signal, 0) !== DONE) void worker.terminate();
      }
    };
  } catch {
    return undefined;
  }
}
