/**
 * Worker thread of a split group (split-fold.ts): folds chunks of a table's rows from the back,
 * with its own read-only connection, until it meets the thread that started it, and hands the
 * partial groups back through the shared signal, so that thread can wait without its event loop.
 * Whatever happens once it has started, it answers (the groups or an error) and signals that it
 * is done.
 */
import { createRequire } from "node:module";
import { workerData, type MessagePort } from "node:worker_threads";
import type Database from "better-sqlite3";
import { type FoldSpec, HashGroupFunction, type PartialGroup } from "./hash-group.js";
import { DONE, STARTED, type SplitSignal, chunkTaker, setState } from "./split-signal.js";

interface Task {
  path: string;
  nativeBinding?: string;
  mmapBytes: number;
  sql: string;
  params: unknown[];
  spec: FoldSpec;
  /** The rowid ranges [from, to) the two threads share; the last is this worker's from the start. */
  chunks: Array<[number, number]>;
  port: MessagePort;
  signal: SplitSignal;
}

const task = workerData as Task;
let answer: { found: PartialGroup[] } | { error: string } = { error: "the group worker stopped before it answered" };
try {
  setState(task.signal, STARTED);
  const SqliteDatabase = createRequire(import.meta.url)("better-sqlite3") as typeof Database;
  const db = new SqliteDatabase(task.path, { readonly: true, nativeBinding: task.nativeBinding });
  try {
    db.pragma(`mmap_size = ${task.mmapBytes}`);
    // The function first: a statement that calls it is prepared only once it exists.
    const fold = new HashGroupFunction(db).open(task.spec);
    const statement = db.prepare(task.sql);
    const take = chunkTaker(task.signal, task.chunks.length, "back");
    // One snapshot for all of this thread's chunks, as one statement over its rows would read.
    db.exec("BEGIN");
    for (let chunk = take(); chunk !== undefined; chunk = take()) fold.read(statement, [...task.params, ...task.chunks[chunk]!]);
    db.exec("COMMIT");
    answer = { found: fold.found };
  } finally {
    db.close();
  }
} catch (error) {
  answer = { error: String(error) };
} finally {
  try {
    task.port.postMessage(answer);
  } finally {
    setState(task.signal, DONE);
  }
}
