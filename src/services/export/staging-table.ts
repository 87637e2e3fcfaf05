/**
 * The write side of an export's staging file: upserts formatted lines so that, per dedup key, the
 * best unit wins (higher quality, then the smaller example id and task). Runs in a worker thread
 * when one is available, so it overlaps with reading the store. With `members`, it also keeps
 * every example that offered a unit for a key, winners and dropped duplicates alike, so
 * `--mark-used` can mark all the examples a record stands for.
 */
import Database from "better-sqlite3";
import { dedupKey } from "../../domain/dedup-key.js";

/**
 * key (null: made here from the key prefix and the learner's text), ord, example id, task, group,
 * user id, quality, line, note, key prefix, learner's text, member (1 or 0: the example was
 * already used in training when read; null: not remembered)
 */
export type StagedRow = [string | null, string, string, string, string, string, number, string, string, string, string | null, number | null];

/** The values of a row's units columns, in the order the INSERT names them. */
const unitValues = (row: StagedRow) => row.slice(0, 9);

/** Rows per INSERT statement: one call per row costs more than the insert itself. */
const ROWS_PER_STATEMENT = 50;

export class StagingTable {
  private readonly db: Database.Database;
  private readonly upsertMany: Database.Statement;
  private readonly upsertOne: Database.Statement;
  private readonly addMember: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = OFF");
    this.db.pragma("synchronous = OFF");
    this.db.pragma("temp_store = MEMORY");
    // A bounded 64 MB page cache: large exports keep the dedup index in memory instead of re-reading it.
    this.db.pragma("cache_size = -65536");
    // Rows keep the position where their key first appeared (rowid), which is the output order.
    // The line comes last: a count or tally of the other columns then never reads past it.
    this.db.exec(`CREATE TABLE IF NOT EXISTS units (key TEXT NOT NULL UNIQUE, ord TEXT NOT NULL, example_id TEXT NOT NULL, task TEXT NOT NULL,
      grp TEXT NOT NULL, user_id TEXT NOT NULL, quality REAL NOT NULL, note TEXT NOT NULL, line TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS members (key TEXT NOT NULL, example_id TEXT NOT NULL, used INTEGER NOT NULL)`);
    const upsert = (rows: number) =>
      this.db.prepare(`INSERT INTO units (key, ord, example_id, task, grp, user_id, quality, line, note) VALUES ${Array(rows).fill("(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
      ON CONFLICT (key) DO UPDATE SET ord = excluded.ord, example_id = excluded.example_id, task = excluded.task,
        grp = excluded.grp, user_id = excluded.user_id, quality = excluded.quality, line = excluded.line, note = excluded.note
      WHERE excluded.quality > units.quality OR (excluded.quality = units.quality AND excluded.ord < units.ord)`);
    this.upsertMany = upsert(ROWS_PER_STATEMENT);
    this.upsertOne = upsert(1);
    this.addMember = this.db.prepare("INSERT INTO members (key, example_id, used) VALUES (?, ?, ?)");
    // One transaction from the first row to finish(): a commit per batch wrote the same index
    // pages out again and again. Nothing reads the file before that, and a failed export deletes it.
    this.db.exec("BEGIN");
  }

  insert(rows: StagedRow[]): void {
    for (const row of rows) row[0] ??= row[9] + dedupKey(row[3], row[10]!);
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) this.upsertMany.run(rows.slice(i, i + ROWS_PER_STATEMENT).flatMap(unitValues));
    for (; i < rows.length; i++) this.upsertOne.run(unitValues(rows[i]!));
    for (const row of rows) if (row[11] !== null) this.addMember.run(row[0], row[2], row[11]);
  }

  /** Commits the staged rows and closes the file. */
  finish(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec("COMMIT");
    this.db.close();
  }

  /** Closes the file; rows not finished are dropped with it. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
