/**
 * Scratch space of one export: a temporary SQLite file holding the formatted lines, one row per
 * dedup key (the best one wins as rows arrive). It keeps an export's memory flat whatever the
 * number of examples, on either engine, and is deleted when the export ends. Rows are written by
 * a worker thread when the build ships one (the built package does), else on this thread.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { StagingTable, type StagedRow } from "./staging-table.js";

export interface StagedUnit {
  /** Dedup key: the unit loses to a better one with the same key. */
  key: string;
  /** Tie-break between equal qualities: example id, then task. */
  ord: string;
  exampleId: string;
  task: string;
  split: number;
  quality: number;
  line: string;
}

export interface StagedWinner {
  task: string;
  split: number;
  line: string;
}

const BATCH = 2000;
/** Batches sent to the worker and not yet stored: bounds the memory a slow disk can cost. */
const MAX_IN_FLIGHT = 4;
const WORKER_FILE = fileURLToPath(new URL("./staging-worker.js", import.meta.url));

class WorkerWriter {
  private readonly worker: Worker;
  private inFlight = 0;
  private waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;
  private finished: Promise<void> | undefined;

  constructor(path: string) {
    // No inherited flags: some (--input-type, -e) only make sense for the main thread.
    this.worker = new Worker(WORKER_FILE, { workerData: { path }, execArgv: [] });
    this.worker.on("message", (message: { type: string }) => {
      if (message.type === "ack") this.inFlight--;
      this.waiting.shift()?.resolve();
    });
    this.worker.on("error", (error) => {
      this.failure = error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    });
  }

  private next(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async write(rows: StagedRow[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.worker.postMessage({ type: "rows", rows });
    this.inFlight++;
    while (this.inFlight >= MAX_IN_FLIGHT) await this.next();
  }

  finish(): Promise<void> {
    return (this.finished ??= (async () => {
      while (this.inFlight > 0) await this.next();
      this.worker.postMessage({ type: "finish" });
      await this.next();
      await this.worker.terminate();
    })());
  }

  async abort(): Promise<void> {
    await this.worker.terminate();
  }
}

class LocalWriter {
  constructor(private readonly table: StagingTable) {}

  async write(rows: StagedRow[]): Promise<void> {
    this.table.insert(rows);
  }

  async finish(): Promise<void> {
    this.table.close();
  }

  async abort(): Promise<void> {
    this.table.close();
  }
}

export class ExportStaging {
  private readonly dir: string;
  private readonly path: string;
  private readonly writer: WorkerWriter | LocalWriter;
  private reader: Database.Database | undefined;
  private pending: StagedRow[] = [];
  offered = 0;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "lexi-export-"));
    this.path = join(this.dir, "staging.db");
    // Create the table here, so the reader never races the worker's start-up.
    const table = new StagingTable(this.path);
    if (existsSync(WORKER_FILE)) {
      table.close();
      this.writer = new WorkerWriter(this.path);
    } else {
      this.writer = new LocalWriter(table);
    }
  }

  async add(unit: StagedUnit): Promise<void> {
    this.offered++;
    this.pending.push([unit.key, unit.ord, unit.exampleId, unit.task, unit.split, unit.quality, unit.line]);
    if (this.pending.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    if (rows.length) await this.writer.write(rows);
  }

  /** Stores what is left and opens the staged rows for reading. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writer.finish();
    this.reader = new Database(this.path, { readonly: true });
  }

  private get db(): Database.Database {
    if (!this.reader) throw new Error("staging is read only after finish()");
    return this.reader;
  }

  get kept(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM units").get() as { n: number }).n;
  }

  /** The kept units in output order (where each key first appeared), at most `limit`. */
  *winners(limit?: number): Generator<StagedWinner> {
    const statement = this.db.prepare(`SELECT task, split, line FROM units ORDER BY rowid${limit ? " LIMIT ?" : ""}`);
    yield* (limit ? statement.iterate(limit) : statement.iterate()) as Iterable<StagedWinner>;
  }

  private written(limit?: number): string {
    return `SELECT example_id FROM units ORDER BY rowid${limit ? ` LIMIT ${Math.floor(limit)}` : ""}`;
  }

  /** How many distinct examples the first `limit` units come from (counted here: a JS set would grow). */
  exampleCount(limit?: number): number {
    return (this.db.prepare(`SELECT count(DISTINCT example_id) AS n FROM (${this.written(limit)})`).get() as { n: number }).n;
  }

  /** Distinct ids of the examples written (the first `limit` units in output order), in batches. */
  *exportedExampleIds(limit?: number, batchSize = 500): Generator<string[]> {
    const page = this.db.prepare(`SELECT DISTINCT example_id FROM (${this.written(limit)}) WHERE example_id > ? ORDER BY example_id LIMIT ?`);
    let after = "";
    for (;;) {
      const ids = (page.all(after, batchSize) as Array<{ example_id: string }>).map((row) => row.example_id);
      if (ids.length === 0) return;
      yield ids;
      after = ids[ids.length - 1]!;
    }
  }

  async close(): Promise<void> {
    if (!this.reader) await this.writer.abort();
    if (this.reader?.open) this.reader.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
