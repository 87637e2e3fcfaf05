/**
 * Worker thread of a split group (split-fold.ts): folds its part of a table's rows with its own
 * read-only connection and hands the partial groups back through the shared signal, so the
 * thread that started it can wait without its event loop. Whatever happens once it has started,
 * it answers (the groups or an error) and signals that it is done.
 */
import { createRequire } from "node:module";
import { workerData, type MessagePort } from "node:worker_threads";
import type Database from "better-sqlite3";
import { type FoldSpec, HashGroupFunction, type PartialGroup } from "./hash-group.js";
import { DONE, STARTED, type SplitSignal } from "./split-signal.js";

interface Task {
  path: string;
  nativeBinding?: string;
  mmapBytes: number;
  sql: string;
  params: unknown[];
  spec: FoldSpec;
  port: MessagePort;
  signal: SplitSignal;
}

const task = workerData as Task;
let answer: { found: PartialGroup[] } | { error: string } = { error: "the group worker stopped before it answered" };
try {
  Atomics.store(task.signal, 0, STARTED);
  Atomics.notify(task.signal, 0);
  const SqliteDatabase = createRequire(import.meta.url)("better-sqlite3") as typeof Database;
  const db = new SqliteDatabase(task.path, { readonly: true, nativeBinding: task.nativeBinding });
  try {
    db.pragma(`mmap_size = ${task.mmapBytes}`);
    answer = { found: new HashGroupFunction(db).run(db.prepare(task.sql), task.params, task.spec) };
  } finally {
    db.close();
  }
} catch (error) {
  answer = { error: String(error) };
} finally {
  try {
    task.port.postMessage(answer);
  } finally {
    Atomics.store(task.signal, 0, DONE);
    Atomics.notify(task.signal, 0);
  }
}
