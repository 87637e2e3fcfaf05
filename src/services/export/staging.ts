/**
 * Scratch space of one export: a temporary SQLite file holding the formatted lines, one row per
 * dedup key (the best one wins as rows arrive). It keeps an export's memory flat whatever the
 * number of examples, on either engine. Its folder (lexi-export-<pid>-… in the temp directory) is
 * removed when the export ends, and by the next export when a kill left it behind. Rows are
 * written by a worker thread when the build ships one (the built package does), else on this thread.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { splitEnds, splitHash } from "../../domain/split.js";
import { CLEAN_KEY_PREFIX } from "./clean-examples.js";
import { processAlive } from "./process-alive.js";
import { StagingTable, type StagedRow } from "./staging-table.js";

export interface StagedUnit {
  /** Dedup key: the unit loses to a better one with the same key. */
  key: string | LearnerTextKey;
  /** Tie-break between equal qualities: example id, then task. */
  ord: string;
  exampleId: string;
  task: string;
  /** What the split keeps together: a learner or an example. */
  group: string;
  userId: string;
  quality: number;
  line: string;
  /** The example was already used in training when it was read. */
  used: boolean;
  note?: UnitNote;
}

/**
 * A key made of a learner's text: `prefix`, then dedupKey(task, text). The staging worker makes
 * it, when there is one: normalizing the text cost the exporting thread a twentieth of its time.
 */
export interface LearnerTextKey {
  prefix: string;
  text: string;
}

/** What the counts say of a written unit: its grammar target left out the corrected sentence, or it is a clean example. */
export type UnitNote = "" | "uncorrected" | "clean";

/** Consecutive written lines of one split, each ending in a newline, as UTF-8. */
export interface OutputChunk {
  split: number;
  text: Buffer;
  records: number;
}

/** How many written units share a split, a task and a note. */
export interface UnitTally {
  split: number;
  task: string;
  note: UnitNote;
  n: number;
}

interface SplitTally {
  split: number;
  learners: number;
  examples: number;
}

export interface WrittenCounts {
  units: UnitTally[];
  perSplit: Map<number, { learners: number; examples: number }>;
}

export interface ExportedExample {
  id: string;
  /** Already used in training when read (only with include_used). */
  used: boolean;
}

/**
 * Rows sent to the worker together. Few enough to be posted before the next young-generation
 * collection: rows held through one are copied and promoted, which cost a 1M export 4 s of
 * collections with batches of 2,000.
 */
const BATCH = 250;
/** Lines per output chunk, and the bytes a chunk may reach when lines are long. */
const CHUNK_LINES = 1024;
const CHUNK_BYTES = 8 << 20;
/** Batches sent to the worker and not yet stored: bounds the memory a slow disk can cost. */
const MAX_IN_FLIGHT = 16;
const WORKER_FILE = fileURLToPath(new URL("./staging-worker.js", import.meta.url));
const PREFIX = "lexi-export-";

/** Removes staging folders that killed exports left in the temp directory. */
export function removeStaleStaging(): void {
  for (const entry of readdirSync(tmpdir())) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(entry)?.[1];
    if (pid && !processAlive(Number(pid))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

type WorkerReply = { type: "ack" } | { type: "done" } | { type: "result"; rows: unknown[] } | { type: "failed"; message: string };

class WorkerWriter {
  private readonly worker: Worker;
  private inFlight = 0;
  private waiting: Array<{ resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;
  private finished: Promise<void> | undefined;

  constructor(path: string) {
    // No inherited flags: some (--input-type, -e) only make sense for the main thread.
    this.worker = new Worker(WORKER_FILE, { workerData: { path }, execArgv: [] });
    this.worker.on("message", (message: WorkerReply) => {
      if (message.type === "failed") return this.fail(new Error(`the export's staging failed: ${message.message}`));
      if (message.type === "ack") this.inFlight--;
      this.waiting.shift()?.resolve(message);
    });
    this.worker.on("error", (error) => this.fail(error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }

  /** The worker's next reply: it answers each message in turn. */
  private next(): Promise<WorkerReply> {
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
    })());
  }

  /** Runs a query on the finished file in the worker, beside whatever this thread does meanwhile. */
  async read(sql: string): Promise<unknown[]> {
    if (this.failure) throw this.failure;
    this.worker.postMessage({ type: "read", sql });
    return ((await this.next()) as Extract<WorkerReply, { type: "result" }>).rows;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

class LocalWriter {
  constructor(private readonly table: StagingTable) {}

  async write(rows: StagedRow[]): Promise<void> {
    this.table.insert(rows);
  }

  async finish(): Promise<void> {
    this.table.finish();
  }

  async close(): Promise<void> {
    this.table.close();
  }
}

export class ExportStaging {
  private readonly dir: string;
  private readonly path: string;
  private readonly writer: WorkerWriter | LocalWriter;
  private reader: Database.Database | undefined;
  private pending: StagedRow[] = [];
  /** The groups are ranked and cut into several splits (a `groups` table holds each one's split). */
  private cut = false;
  offered = 0;
  /** UTF-16 length of the longest staged line: bounds the lines per output chunk. */
  private longestLine = 0;

  /** `trackMembers`: remember every example behind each key (for marking them used). */
  constructor(private readonly trackMembers: boolean) {
    this.dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
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
    if (unit.line.length > this.longestLine) this.longestLine = unit.line.length;
    const [key, prefix, text] = typeof unit.key === "string" ? [unit.key, "", null] : [null, unit.key.prefix, unit.key.text];
    // A clean example comes from an interaction, not a queue item: there is nothing to mark as used.
    const member = this.trackMembers && unit.note !== "clean" ? (unit.used ? 1 : 0) : null;
    this.pending.push([key, unit.ord, unit.exampleId, unit.task, unit.group, unit.userId, unit.quality, unit.line, unit.note ?? "", prefix, text, member]);
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
    this.reader = new Database(this.path);
  }

  private get db(): Database.Database {
    if (!this.reader) throw new Error("staging is read only after finish()");
    return this.reader;
  }

  /**
   * Keeps `count(grammar records with errors)` of the staged clean units, the lowest seeded ranks
   * first, after leaving out those whose text is also exported with errors. Returns how many
   * were wanted, how many qualified and how many are kept.
   */
  keepClean(count: (errorful: number) => number): { wanted: number; available: number; kept: number } {
    // Keys hold a NUL (see dedupKey), where SQLite's substr stops: the prefix is added, not cut off.
    this.db.prepare("DELETE FROM units WHERE note = 'clean' AND key IN (SELECT ? || key FROM units WHERE note != 'clean')").run(CLEAN_KEY_PREFIX);
    const available = (this.db.prepare("SELECT count(*) AS n FROM units WHERE note = 'clean'").get() as { n: number }).n;
    const errorful = (this.db.prepare("SELECT count(*) AS n FROM units WHERE task = 'grammar' AND note != 'clean'").get() as { n: number }).n;
    const wanted = count(errorful);
    const kept = Math.min(available, wanted);
    this.db.prepare("DELETE FROM units WHERE note = 'clean' AND rowid NOT IN (SELECT rowid FROM units WHERE note = 'clean' ORDER BY ord, rowid LIMIT ?)").run(kept);
    return { wanted, available, kept };
  }

  get kept(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM units").get() as { n: number }).n;
  }

  /**
   * The rowid of the last unit written: the `limit`-th in output order (where each key first
   * appeared), or the last of all.
   */
  private lastWritten(limit?: number): number {
    const nth = limit ? this.db.prepare("SELECT rowid FROM units ORDER BY rowid LIMIT 1 OFFSET ?").pluck().get(Math.floor(limit) - 1) : undefined;
    return (nth ?? this.db.prepare("SELECT coalesce(max(rowid), 0) FROM units").pluck().get()) as number;
  }

  /** The units written: the first `limit` in output order. */
  private written(limit?: number): string {
    return `SELECT rowid AS r, * FROM units WHERE rowid <= ${this.lastWritten(limit)}`;
  }

  /**
   * Ranks the groups of the written units by hash and cuts them at the cumulative ratios.
   * Returns how many groups there are and how many each split got; null for one split, where
   * every unit is in split 0 and ranking or counting the groups would only cost passes over the
   * staged lines.
   */
  assignSplits(seed: number, ratios: number[], limit?: number): { groups: number; perSplit: number[] } | null {
    if (ratios.length === 1) return null;
    this.db.function("split_hash", { deterministic: true }, (group: unknown) => splitHash(String(group), seed));
    this.db.exec(`CREATE TABLE groups (grp TEXT PRIMARY KEY, h TEXT NOT NULL, split INTEGER NOT NULL DEFAULT 0);
      INSERT INTO groups (grp, h) SELECT grp, split_hash(grp) FROM (SELECT DISTINCT grp FROM (${this.written(limit)}))`);
    this.cut = true;
    const groups = (this.db.prepare("SELECT count(*) AS n FROM groups").get() as { n: number }).n;
    const ends = splitEnds(groups, ratios);
    const cases = ends.slice(0, -1).map((end, i) => `WHEN rank < ${end} THEN ${i}`).join(" ");
    if (cases) {
      this.db.exec(`UPDATE groups SET split = ranked.split FROM (
        SELECT grp, CASE ${cases} ELSE ${ends.length - 1} END AS split FROM (SELECT grp, row_number() OVER (ORDER BY h, grp) - 1 AS rank FROM groups)
      ) AS ranked WHERE groups.grp = ranked.grp`);
    }
    return { groups, perSplit: ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1]!)) };
  }

  /** The written units with their split: their group's, once the groups are cut, else 0. */
  private withSplits(limit?: number): string {
    return this.cut
      ? `SELECT u.*, g.split FROM (${this.written(limit)}) AS u JOIN groups AS g ON g.grp = u.grp`
      : `SELECT u.*, 0 AS split FROM (${this.written(limit)}) AS u`;
  }

  /**
   * The written lines in output order, joined by SQLite a chunk of rowids at a time and handed
   * over as bytes: one string and one row object per line cost the read-back several times more.
   * Within a chunk, each split's lines come as one piece; its pieces follow the chunks.
   */
  *chunks(limit?: number): Generator<OutputChunk> {
    const last = this.lastWritten(limit);
    const step = Math.max(1, Math.min(CHUNK_LINES, Math.floor(CHUNK_BYTES / (3 * Math.max(1, this.longestLine)))));
    const lines = "CAST(group_concat(u.line, char(10) ORDER BY u.rowid) || char(10) AS BLOB) AS text, count(*) AS records";
    const chunk = this.db.prepare(
      this.cut
        ? `SELECT g.split, ${lines} FROM units AS u JOIN groups AS g ON g.grp = u.grp WHERE u.rowid > ? AND u.rowid <= ? GROUP BY g.split`
        : `SELECT 0 AS split, ${lines} FROM units AS u WHERE u.rowid > ? AND u.rowid <= ?`,
    );
    for (let after = 0; after < last; after += step) {
      for (const row of chunk.all(after, Math.min(last, after + step)) as OutputChunk[]) if (row.records > 0) yield row;
    }
  }

  /** Written units per key space: the part of the key before its first ":" (a preference record's source). */
  recordsPerKeySpace(limit?: number): Map<string, number> {
    const rows = this.db.prepare(`SELECT substr(key, 1, instr(key, ':') - 1) AS space, count(*) AS n FROM (${this.written(limit)}) GROUP BY space`).all() as Array<{ space: string; n: number }>;
    return new Map(rows.map((row) => [row.space, row.n]));
  }

  /**
   * The written units per split, task and note, in the order each combination first appears;
   * and per split, its distinct learners and examples (counted in SQL: JS sets would grow). All
   * units of an example share its group, so an example is in one split and the per-split example
   * counts add up to the total. Counted by the worker when there is one, so that this thread
   * meanwhile writes the lines (each count is a pass over the staged rows).
   */
  async countWritten(limit?: number): Promise<WrittenCounts> {
    const written = this.withSplits(limit);
    const read = (sql: string) => (this.writer instanceof WorkerWriter ? this.writer.read(sql) : Promise.resolve(this.db.prepare(sql).all()));
    const [units, splits] = await Promise.all([
      read(`SELECT split, task, note, count(*) AS n FROM (${written}) GROUP BY split, task, note ORDER BY min(r)`) as Promise<UnitTally[]>,
      read(`SELECT split, count(DISTINCT user_id) AS learners, count(DISTINCT example_id) AS examples FROM (${written}) GROUP BY split`) as Promise<SplitTally[]>,
    ]);
    return { units, perSplit: new Map(splits.map(({ split, learners, examples }) => [split, { learners, examples }])) };
  }

  /**
   * Every example the written units stand for (with `trackMembers`, the dropped duplicates of
   * their keys too), in batches.
   */
  *exportedExamples(limit?: number, batchSize = 500): Generator<ExportedExample[]> {
    this.db.exec(`CREATE INDEX IF NOT EXISTS members_key ON members (key);
      CREATE TABLE IF NOT EXISTS exported (example_id TEXT PRIMARY KEY, used INTEGER NOT NULL);
      DELETE FROM exported;
      INSERT INTO exported SELECT example_id, max(used) FROM members WHERE key IN (SELECT key FROM (${this.written(limit)})) GROUP BY example_id`);
    const page = this.db.prepare("SELECT example_id, used FROM exported WHERE example_id > ? ORDER BY example_id LIMIT ?");
    let after = "";
    for (;;) {
      const rows = page.all(after, batchSize) as Array<{ example_id: string; used: number }>;
      if (rows.length === 0) return;
      yield rows.map((row) => ({ id: row.example_id, used: row.used === 1 }));
      after = rows[rows.length - 1]!.example_id;
    }
  }

  async close(): Promise<void> {
    try {
      await this.writer.close();
      if (this.reader?.open) this.reader.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
