/**
 * A group over a large table, folded by two threads: the table's rowid range is cut in chunks, a
 * worker thread folds chunks from the back with its own read-only connection while this thread
 * folds chunks from the front, until they meet, and the two lists of partial groups are put
 * together (partial groups merge however many there are). Taking chunks as they go, instead of a
 * half each, means that once every chunk is taken the other thread has at most the one it is
 * folding left: the worker starts 30–50 ms late, and the two may not read equally fast. This thread
 * waits for the worker through shared integers, not its event loop, so a group stays one
 * synchronous read.
 *
 * Each thread reads its chunks in one read transaction of its own connection, at its own moment:
 * like a MongoDB aggregation, which is no point-in-time read either, a write that commits while
 * the group runs may be counted by one thread and not the other. One thread folds everything inside
 * a transaction (whose writes only its own connection sees), on a store in memory, when the store
 * file was replaced since it was opened, without the built worker (lexi run from its sources), on a
 * small table, and when a filter chose the rows (an index finds them: the rowids say nothing of how
 * many there are). A group with many keys (learners, sessions) is finished here too once this
 * thread's chunks show it: handing tens of thousands of partial groups across threads costs more
 * than folding them.
 */
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import type { FoldSpec, HashGroupFunction, PartialGroup } from "./hash-group.js";
import { DONE, STARTED, WAITING, chunkTaker, newSplitSignal, type SplitSignal, stateOf, takeNoMore, waitWhile } from "./split-signal.js";

const WORKER_FILE = fileURLToPath(new URL("./group-worker.js", import.meta.url));
/** Below this many rows, a worker's start (30–50 ms) costs more than folding half the rows saves. */
const SPLIT_MIN_ROWS = 100_000;
/** Rowids per chunk: a few milliseconds of folding, what one thread waits for the other once it has started. */
const CHUNK_ROWIDS = 8192;
/** A worker that has not started by then is given up, and its chunks folded here. */
const START_TIMEOUT_MS = 5_000;
/** Past this many partial groups in this thread's chunks, the worker's are folded here too. */
const MANY_GROUPS = 20_000;
/**
 * How long a started worker may take to finish, at least, and as a multiple of this thread's time:
 * past that its chunks are folded here, all of them (its groups so far are never handed over), so
 * the patience is generous.
 */
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

/** Whether the whole table (`filtered`: false) may be folded by two threads. */
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
  const chunks = chunkBounds(low, high + 1);
  const signal = newSplitSignal();
  const worker = startWorker(context, sql, params, spec, chunks, signal);
  const started = performance.now();
  const fold = context.hashGroup.open(spec);
  const read = (chunk: number) => fold.read(statement, [...params, ...chunks[chunk]!]);
  // One snapshot for all of this thread's chunks, as one statement over its rows would read.
  context.db.exec("BEGIN");
  try {
    const take = chunkTaker(signal, chunks.length, "front");
    // The chunks below `front` are this thread's.
    let front = 0;
    while (worker && fold.found.length <= MANY_GROUPS) {
      const chunk = take();
      if (chunk === undefined) break;
      read(chunk);
      front = chunk + 1;
    }
    const theirs = worker?.(fold.found.length > MANY_GROUPS ? 0 : Math.max(LATE_AFTER_MS, LATE_FACTOR * (performance.now() - started)));
    if (theirs) return { found: [...fold.found, ...theirs], threads: 2 };
    // No worker, or one not waited for: the chunks it took (or would have) are folded here.
    takeNoMore(signal, chunks.length);
    while (front < chunks.length) read(front++);
    return { found: fold.found, threads: 1 };
  } finally {
    context.db.exec("COMMIT");
  }
}

/** The rowid ranges [from, to) of `CHUNK_ROWIDS` each that cover [low, end). */
function chunkBounds(low: number, end: number): Array<[number, number]> {
  const chunks: Array<[number, number]> = [];
  for (let from = low; from < end; from += CHUNK_ROWIDS) chunks.push([from, Math.min(end, from + CHUNK_ROWIDS)]);
  return chunks;
}

/**
 * Starts the worker on the chunks from the back. What it returns waits at most `patienceMs` for the
 * worker's groups (none when 0): first for its start (at most START_TIMEOUT_MS), then for its
 * answer. It returns undefined when the worker failed, is late or is not waited for, and the caller
 * folds the worker's chunks itself.
 */
function startWorker(context: FoldContext, sql: string, params: unknown[], spec: FoldSpec, chunks: Array<[number, number]>, signal: SplitSignal): ((patienceMs: number) => PartialGroup[] | undefined) | undefined {
  try {
    // Loaded only now: most commands never split a group, and loading the module costs each of them.
    const { Worker, MessageChannel, receiveMessageOnPort } = process.getBuiltinModule("node:worker_threads");
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_FILE, {
      workerData: { path: context.path, nativeBinding: context.nativeBinding, mmapBytes: context.mmapBytes, sql, params, spec, chunks, port: port2, signal },
      transferList: [port2],
      // No inherited flags: some (--input-type, -e) only make sense for the main thread.
      execArgv: [],
    });
    // A worker that fails to load says so as an event, after this read: its chunks are folded here.
    worker.on("error", () => undefined);
    worker.unref();
    return (patienceMs) => {
      try {
        const deadline = performance.now() + patienceMs;
        const left = () => Math.max(0, deadline - performance.now());
        if (stateOf(signal) === WAITING && patienceMs > 0) waitWhile(signal, WAITING, Math.min(START_TIMEOUT_MS, left()));
        while (stateOf(signal) === STARTED && left() > 0) waitWhile(signal, STARTED, left());
        if (stateOf(signal) !== DONE) return undefined;
        const answer = receiveMessageOnPort(port1)?.message as { found: PartialGroup[] } | { error: string } | undefined;
        return answer && "found" in answer ? answer.found : undefined;
      } finally {
        port1.close();
        if (stateOf(signal) !== DONE) void worker.terminate();
      }
    };
  } catch {
    return undefined;
  }
}
