/**
 * Checkpoints the store's WAL on a worker thread instead of inside a commit.
 *
 * SQLite checkpoints by default in the commit that takes the WAL past 1,000 pages: that one write
 * waits while the pages are copied into the store file and synced (15-20 ms here), so a server's
 * slowest answers were its checkpoints. Here, once this connection has grown the WAL by
 * START_BYTES, a worker thread opens its own connection and runs a PASSIVE checkpoint (the kind
 * SQLite runs itself, which never blocks the writer) at most every INTERVAL_MS while commits go
 * on. Writes go on meanwhile, so the
 * worker never copies the WAL's last pages and the WAL could only grow: once it is long, the
 * writer copies those few pages itself after its commits (a short stall instead of a whole
 * checkpoint) until its next write has started the WAL over, which another process reading an
 * older snapshot can delay. Short commands never write that much and never start the worker.
 * SQLite still checkpoints in the commit past STARTING_AUTOCHECKPOINT_CAP pages until the worker
 * is ready (or when none starts), past AUTOCHECKPOINT_CAP pages should it fall behind, and as by
 * default should it fail.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/** SQLite's own threshold: 1,000 pages of 4 KiB. */
const START_BYTES = 4_096_000;
const INTERVAL_MS = 50;
/** WAL frames past which the writer finishes a checkpoint itself, so the WAL starts over. */
const RESTART_FRAMES = 1000;
/**
 * A cap the writer keeps in any case: should the worker fall behind (the writer never lets the
 * event loop turn, so no answer arrives) SQLite checkpoints in the commit at 10,000 pages (40 MB).
 */
const AUTOCHECKPOINT_CAP = 10_000;
/**
 * The cap until the worker has opened its connection (for good in a process that never starts
 * it): a thread takes a few hundred ms to start (more on a busy machine), and a fast writer grew
 * the WAL by 12-30 MB meanwhile.
 */
const STARTING_AUTOCHECKPOINT_CAP = 2000;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/** The worker waits this long at most for a lock: a checkpoint that cannot run now runs next time. */
const WORKER_BUSY_TIMEOUT_MS = 1000;

interface CheckpointResult {
  /** 1 when another connection held the checkpoint lock (nothing was copied). */
  busy: number;
  /** Frames in the WAL (-1 when busy). */
  log: number;
  checkpointed: number;
}

/** The worker: its own connection, one PASSIVE checkpoint per message, closed on "close". */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: workerData.timeout, nativeBinding: workerData.nativeBinding });
parentPort.postMessage("ready");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  // A checkpoint that cannot run now (SQLITE_BUSY while another process recovers the WAL) runs next time.
  let result = { busy: 1, log: -1, checkpointed: -1 };
  try {
    result = db.pragma("wal_checkpoint(PASSIVE)")[0];
  } catch {}
  parentPort.postMessage(result);
});
`;

export interface CheckpointerOptions {
  nativeBinding: string | undefined;
}

export class WalCheckpointer {
  private readonly walPath: string;
  private readonly startBytes: number;
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private inFlight = false;
  private failed = false;
  private closing = false;
  private lastDone = 0;
  /** The WAL is long: the writer copies the few pages the worker has not, so its next write starts the WAL over. */
  private restartDue = false;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly options: CheckpointerOptions,
  ) {
    this.walPath = `${path}-wal`;
    // A WAL file keeps its largest size when it starts over (cutting it back costs every cycle a
    // regrowth): what this connection writes shows as growth past the size it found, so a short
    // command beside a server that filled the file never starts a worker.
    this.startBytes = walBytes(this.walPath) + START_BYTES;
    db.pragma(`wal_autocheckpoint = ${STARTING_AUTOCHECKPOINT_CAP}`);
  }

  /** Called after each commit of the writing connection. */
  afterCommit(): void {
    if (this.restartDue) this.restartDue = this.copyRest();
    if (this.inFlight || this.failed) return;
    if (!this.worker) {
      if (walBytes(this.walPath) < this.startBytes || !this.start()) return;
    } else if (performance.now() - this.lastDone < INTERVAL_MS) {
      return;
    }
    this.inFlight = true;
    this.worker!.postMessage("checkpoint");
  }

  /**
   * Copies what the worker left and says whether to try again after the next commit: until the
   * WAL has started over, which needs a complete copy and no other process reading an older
   * snapshot when the next write begins. A try with nothing left to copy costs next to nothing.
   * The commit before it stands whatever happens here.
   */
  private copyRest(): boolean {
    try {
      return needsRestart((this.db.pragma("wal_checkpoint(PASSIVE)") as CheckpointResult[])[0]);
    } catch {
      return true;
    }
  }

  /** Starts the worker; false when the system refuses a thread (the writer then checkpoints itself). */
  private start(): boolean {
    let worker: Worker;
    try {
      // Loaded only now: most commands never start the thread, and loading the module costs each of them.
      const { Worker: Thread } = process.getBuiltinModule("node:worker_threads");
      worker = new Thread(WORKER_SOURCE, {
        eval: true,
        // No inherited flags: some (--input-type, -e) only make sense for the main thread.
        execArgv: [],
        workerData: { module: createRequire(import.meta.url).resolve("better-sqlite3"), path: this.path, timeout: WORKER_BUSY_TIMEOUT_MS, nativeBinding: this.options.nativeBinding },
      });
    } catch {
      this.fallBack();
      return false;
    }
    worker.on("message", (result: CheckpointResult | "ready") => {
      if (result === "ready") {
        if (!this.failed && this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_CAP}`);
        return;
      }
      this.inFlight = false;
      if (needsRestart(result)) this.restartDue = true;
      this.lastDone = performance.now();
    });
    worker.on("error", () => this.fallBack());
    this.exited = new Promise((resolve) =>
      worker.once("exit", () => {
        if (!this.closing) this.fallBack();
        resolve();
      }),
    );
    // After the listeners, which reference it again: a program that never closes its store still ends.
    worker.unref();
    this.worker = worker;
    return true;
  }

  /** The worker is gone: the writer checkpoints in its commits again, as SQLite does by default. */
  private fallBack(): void {
    this.failed = true;
    this.inFlight = false;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  }

  /** Closes the worker's connection, after its checkpoint in flight, before the writer closes its own. */
  async close(): Promise<void> {
    if (!this.worker || this.closing) return this.exited;
    this.closing = true;
    // Unreferenced, the worker would not keep the process alive until it has closed.
    this.worker.ref();
    this.worker.postMessage("close");
    return this.exited;
  }
}

/** Whether the WAL has yet to start over: the checkpoint was blocked, or the WAL is still long. */
function needsRestart(result: CheckpointResult | undefined): boolean {
  return result === undefined || result.busy === 1 || result.log >= RESTART_FRAMES;
}

function walBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
