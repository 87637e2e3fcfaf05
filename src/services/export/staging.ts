/**
 * Scratch space of one export: a temporary SQLite file holding the formatted lines, one row per
 * dedup key (the best one wins as rows arrive). It keeps an export's memory flat whatever the
 * number of examples, on either engine, and is deleted when the export ends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

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

const BATCH = 2000;
/** Rows per INSERT statement: one call per row costs more than the insert itself. */
const ROWS_PER_STATEMENT = 50;

export class ExportStaging {
  private readonly dir: string;
  private readonly db: Database.Database;
  private readonly upsertMany: Database.Statement;
  private readonly upsertOne: Database.Statement;
  private pending: StagedUnit[] = [];
  offered = 0;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "lexi-export-"));
    this.db = new Database(join(this.dir, "staging.db"));
    this.db.pragma("journal_mode = OFF");
    this.db.pragma("synchronous = OFF");
    this.db.pragma("temp_store = MEMORY");
    // Rows keep the position where their key first appeared (rowid), which is the output order.
    this.db.exec(`CREATE TABLE units (key TEXT NOT NULL UNIQUE, ord TEXT NOT NULL, example_id TEXT NOT NULL, task TEXT NOT NULL,
      split INTEGER NOT NULL, quality REAL NOT NULL, line TEXT NOT NULL)`);
    const upsert = (rows: number) =>
      this.db.prepare(`INSERT INTO units (key, ord, example_id, task, split, quality, line) VALUES ${Array(rows).fill("(?, ?, ?, ?, ?, ?, ?)").join(", ")}
      ON CONFLICT (key) DO UPDATE SET ord = excluded.ord, example_id = excluded.example_id, task = excluded.task,
        split = excluded.split, quality = excluded.quality, line = excluded.line
      WHERE excluded.quality > units.quality OR (excluded.quality = units.quality AND excluded.ord < units.ord)`);
    this.upsertMany = upsert(ROWS_PER_STATEMENT);
    this.upsertOne = upsert(1);
  }

  add(unit: StagedUnit): void {
    this.offered++;
    this.pending.push(unit);
    if (this.pending.length >= BATCH) this.flush();
  }

  flush(): void {
    const rows = this.pending;
    this.pending = [];
    const values = (u: StagedUnit) => [u.key, u.ord, u.exampleId, u.task, u.split, u.quality, u.line];
    this.db.transaction(() => {
      let i = 0;
      for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) this.upsertMany.run(rows.slice(i, i + ROWS_PER_STATEMENT).flatMap(values));
      for (; i < rows.length; i++) this.upsertOne.run(values(rows[i]!));
    })();
  }

  get kept(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM units").get() as { n: number }).n;
  }

  /** The kept units in output order (where each key first appeared), at most `limit`. */
  *winners(limit?: number): Generator<{ ord: string; example_id: string; task: string; split: number; line: string }> {
    const sql = `SELECT ord, example_id, task, split, line FROM units ORDER BY rowid${limit ? " LIMIT ?" : ""}`;
    const statement = this.db.prepare(sql);
    yield* (limit ? statement.iterate(limit) : statement.iterate()) as Iterable<{ ord: string; example_id: string; task: string; split: number; line: string }>;
  }

  /** How many distinct examples the first `limit` units come from (counted here: a JS set would grow). */
  exampleCount(limit?: number): number {
    const written = `SELECT example_id FROM units ORDER BY rowid${limit ? ` LIMIT ${Math.floor(limit)}` : ""}`;
    return (this.db.prepare(`SELECT count(DISTINCT example_id) AS n FROM (${written})`).get() as { n: number }).n;
  }

  /** Distinct ids of the examples written (the first `limit` units in output order), in batches. */
  *exportedExampleIds(limit?: number, batchSize = 500): Generator<string[]> {
    const written = `SELECT example_id FROM units ORDER BY rowid${limit ? ` LIMIT ${Math.floor(limit)}` : ""}`;
    const page = this.db.prepare(`SELECT DISTINCT example_id FROM (${written}) WHERE example_id > ? ORDER BY example_id LIMIT ?`);
    let after = "";
    for (;;) {
      const ids = (page.all(after, batchSize) as Array<{ example_id: string }>).map((row) => row.example_id);
      if (ids.length === 0) return;
      yield ids;
      after = ids[ids.length - 1]!;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
