/**
 * Checkpoints the store's WAL on a worker thread instead of inside a commit.
 *
 * SQLite checkpoints by default in the commit that takes the WAL past 1,000 pages: that one write
 * waits while the pages are copied into the store file and synced (15-20 ms here), so a server's
 * slowest answers were its checkpoints. Here the writing connection never checkpoints on its own.
 * Once the WAL passes START_BYTES, a worker thread opens its own connection and runs a PASSIVE
 * checkpoint (the kind SQLite runs itself, which never blocks the writer) at most every
 * INTERVAL_MS while commits go on. Writes go on meanwhile, so the worker never copies the WAL's
 * last pages and the WAL could only grow: once it is long, the writer copies those few pages
 * itself after a commit (a short stall instead of a whole checkpoint), and its next write starts
 * the WAL over. Short commands never write that much and never start the worker. Should the
 * worker fail, the writer checkpoints as SQLite does by default.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/** SQLite's own threshold: 1,000 pages of 4 KiB. */
const START_BYTES = 4_096_000;
const INTERVAL_MS = 100;
/** WAL frames past which the writer finishes a checkpoint itself, so the WAL starts over. */
const RESTART_FRAMES = 1000;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** The worker: its own connection, one PASSIVE checkpoint per message, closed on "close". */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: workerData.timeout, nativeBinding: workerData.nativeBinding });
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  // A checkpoint that cannot run now (another process checkpointing: SQLITE_BUSY) runs next time.
  let walFrames = 0;
  try {
    walFrames = db.pragma("wal_checkpoint(PASSIVE)")[0].log;
  } catch {}
  parentPort.postMessage(walFrames);
});
`;

export interface CheckpointerOptions {
  /** The busy timeout of the worker's connection, as the writer's. */
  timeout: number;
  nativeBinding: string | undefined;
}

export class WalCheckpointer {
  private readonly walPath: string;
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private inFlight = false;
  private failed = false;
  private lastDone = 0;
  /** The WAL is long: the writer copies the few pages the worker has not, so its next write starts the WAL over. */
  private restartDue = false;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly options: CheckpointerOptions,
  ) {
    this.walPath = `${path}-wal`;
    db.pragma("wal_autocheckpoint = 0");
  }

  /** Called after each commit of the writing connection. */
  afterCommit(): void {
    if (this.restartDue) {
      this.restartDue = false;
      // The commit stands whatever happens here: a checkpoint that fails is retried the next time.
      try {
        this.db.pragma("wal_checkpoint(PASSIVE)");
      } catch {
        this.restartDue = true;
      }
    }
    if (this.inFlight || this.failed) return;
    if (!this.worker) {
      if (walBytes(this.walPath) < START_BYTES) return;
      this.start();
    } else if (performance.now() - this.lastDone < INTERVAL_MS) {
      return;
    }
    this.inFlight = true;
    this.worker!.postMessage("checkpoint");
  }

  private start(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // No inherited flags: some (--input-type, -e) only make sense for the main thread.
      execArgv: [],
      workerData: { module: createRequire(import.meta.url).resolve("better-sqlite3"), path: this.path, timeout: this.options.timeout, nativeBinding: this.options.nativeBinding },
    });
    worker.unref();
    worker.on("message", (walFrames: number) => {
      this.inFlight = false;
      if (walFrames >= RESTART_FRAMES) this.restartDue = true;
      this.lastDone = performance.now();
    });
    worker.on("error", () => this.fallBack());
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    this.worker = worker;
  }

  /** The worker is gone: the writer checkpoints in its commits again, as SQLite does by default. */
  private fallBack(): void {
    this.failed = true;
    this.inFlight = false;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  }

  /** Closes the worker's connection, after its checkpoint in flight, before the writer closes its own. */
  async close(): Promise<void> {
    if (!this.worker || this.failed) return;
    // Unreferenced, the worker would not keep the process alive until it has closed.
    this.worker.ref();
    this.worker.postMessage("close");
    await this.exited;
  }
}

function walBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
